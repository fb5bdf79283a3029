// A workflow drawn as a graph: the trigger and every step as a node, condition branches
// as labelled edges, loops as groups holding their steps, on_failure actions in a lane of
// their own. Pure data (no React, no layout), so the canvas, tests and later the builder
// share one reading of a workflow definition.
import type { StepDefinition, WorkflowDefinition } from '../../server/workflow/types.js';

/** `slot` is the builder's empty place to drop a step on (an empty branch, the end of a list). */
export type FlowNodeKind = 'trigger' | 'action' | 'condition' | 'loop' | 'on_failure' | 'slot';

export interface FlowNode {
  /** The step's path (`steps[2].condition.then[0]`), `trigger`, or `on_failure[i]`. */
  id: string;
  kind: FlowNodeKind;
  label: string;
  /** Trigger type, action type, or `condition` / `loop`. */
  type: string;
  /** The loop that holds this step. */
  parent?: string;
  /** What the step does in one line: a condition's `if`, a loop's `over`, a webhook's path. */
  detail?: string;
}

export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  /** `then` / `else` on a condition's branches. */
  label?: 'then' | 'else';
}

export interface FlowGraph {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

interface Exit {
  id: string;
  label?: 'then' | 'else';
}

/** The graph of `definition`. Node ids are the step paths the executor records runs under. */
export function workflowGraph(definition: WorkflowDefinition): FlowGraph {
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const connect = (from: Exit[], to: string) => {
    for (const exit of from) {
      edges.push({ id: `${exit.id}->${to}`, source: exit.id, target: to, ...(exit.label ? { label: exit.label } : {}) });
    }
  };

  const chain = (steps: StepDefinition[], entries: Exit[], parent: string | undefined): Exit[] => {
    let exits = entries;
    for (const step of steps) {
      const node: FlowNode = { id: step.path, kind: step.kind, label: step.name, type: step.kind, ...(parent ? { parent } : {}) };
      if (step.kind === 'action') node.type = step.action.type;
      if (step.kind === 'condition') node.detail = `if ${String(step.if)}`;
      if (step.kind === 'loop') node.detail = `for each of ${typeof step.over === 'string' ? step.over : `${step.over.length} items`}`;
      nodes.push(node);
      connect(exits, step.path);
      if (step.kind === 'condition') {
        const whenTrue = chain(step.then, [{ id: step.path, label: 'then' }], parent);
        const whenFalse = chain(step.else, [{ id: step.path, label: 'else' }], parent);
        exits = [...whenTrue, ...whenFalse];
      } else {
        if (step.kind === 'loop') chain(step.steps, [], step.path);
        exits = [{ id: step.path }];
      }
    }
    return exits;
  };

  const trigger = definition.trigger;
  const entries: Exit[] = [];
  if (trigger) {
    nodes.push({
      id: 'trigger',
      kind: 'trigger',
      label: trigger.name ?? triggerTitle(trigger.type),
      type: trigger.type,
      detail: triggerDetail(trigger),
    });
    entries.push({ id: 'trigger' });
  }
  chain(definition.steps, entries, undefined);

  let previous: Exit[] = [];
  definition.error_handling.on_failure.forEach((action, index) => {
    const id = `on_failure[${index}]`;
    nodes.push({
      id,
      kind: 'on_failure',
      label: typeof action.name === 'string' ? action.name : action.type,
      type: action.type,
      detail: `on failure · ${action.type}`,
    });
    connect(previous, id);
    previous = [{ id }];
  });
  return { nodes, edges };
}

function triggerTitle(type: string): string {
  return `${type.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())} trigger`;
}

/** What a trigger waits for, in one line: a webhook's method and path, a schedule's cron, ... */
export function triggerDetail(trigger: NonNullable<WorkflowDefinition['trigger']> | Record<string, unknown>): string | undefined {
  const fields = trigger as unknown as Record<string, unknown>;
  switch (trigger.type) {
    case 'webhook':
      return `${String(fields.method ?? 'POST')} /hooks/${String(fields.path ?? '').replace(/^\//, '')}`;
    case 'schedule':
      return String(fields.cron ?? '');
    case 'database':
      return `${(fields.events as string[] | undefined)?.join(', ') ?? String(fields.event ?? '')} on ${String(fields.table ?? '')}`;
    case 'file_watcher':
      return String(fields.path ?? '');
    default:
      return undefined;
  }
}

export interface StepRunSummary {
  status: string;
  /** Milliseconds, all iterations and attempts together. */
  durationMs: number | null;
  /** How many times the step ran (loop iterations, retries). */
  runs: number;
}

/**
 * Folds a run's recorded steps onto graph node ids. Loop iterations are recorded as
 * `<path>@<n>`; the node shows the worst status of its iterations and their total time.
 */
export function stepRunsByNode(
  steps: readonly { path: string; status: string; started_at: string; finished_at: string | null }[],
): Map<string, StepRunSummary> {
  return foldStepRuns(
    steps.map((step) => ({
      path: step.path,
      status: step.status,
      duration_ms: step.finished_at ? Date.parse(step.finished_at) - Date.parse(step.started_at) : null,
    })),
  );
}

/**
 * The same folding for the steps of a test run as its live events report them (the
 * editor's test panel): keyed by node id, for the builder's canvas. Steps without a path
 * (an older server's events) are left out rather than put on the wrong node.
 */
export function testStepRuns(
  steps: readonly { path?: string | undefined; status: string; duration_ms: number | null }[],
): Record<string, StepRunSummary> {
  const known = steps.filter((step): step is typeof step & { path: string } => typeof step.path === 'string');
  return Object.fromEntries(foldStepRuns(known));
}

function foldStepRuns(steps: readonly { path: string; status: string; duration_ms: number | null }[]): Map<string, StepRunSummary> {
  // Most telling first: a loop whose third iteration failed is shown failed.
  const rank = ['failed', 'running', 'retrying', 'waiting', 'cancelled', 'succeeded', 'skipped'];
  const severity = (status: string) => (rank.includes(status) ? rank.indexOf(status) : rank.length);
  const worst = (a: string, b: string) => (severity(a) <= severity(b) ? a : b);
  const summaries = new Map<string, StepRunSummary>();
  for (const step of steps) {
    const id = step.path.replace(/@\d+/g, '');
    const duration = step.duration_ms;
    const seen = summaries.get(id);
    if (!seen) {
      summaries.set(id, { status: step.status, durationMs: duration, runs: 1 });
    } else {
      seen.status = worst(seen.status, step.status);
      seen.durationMs = seen.durationMs === null || duration === null ? null : seen.durationMs + duration;
      seen.runs += 1;
    }
  }
  return summaries;
}
