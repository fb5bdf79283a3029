// The builder's reading of a workflow: the same graph as graph.ts draws, read straight
// from the YAML document (no validation, so a half-written workflow still draws), with
// each node's place in the document and its configuration as written, and empty "slots"
// where a step can be dropped: an empty branch or loop, the end of the steps, a missing
// trigger. Node ids are the step paths the executor records runs under.
import { type FlowEdge, type FlowNode, triggerDetail } from './graph.js';
import { formatPath } from '../../server/workflow/paths.js';
import { openWorkflow, type StepPlace, type YamlPath, type YamlProblem } from './yaml-edit.js';

export interface BuilderNode extends FlowNode {
  /** Where the node is written, inside the workflow body (absent for slots). */
  at?: YamlPath;
  /** Where a step dropped on this node goes (after a step; into a slot or an empty loop). */
  dropPlace?: StepPlace;
  /** The place of the step itself: a step dropped on an edge into it goes here. */
  place?: StepPlace;
  /** The trigger, the action, or the condition's / loop's settings, as written. */
  config?: Record<string, unknown>;
  /** Where `config` is written: the step's `action`, `condition` or `loop`; the trigger; the on_failure action. */
  configAt?: YamlPath;
  /** The step as written, without its branches' or loop's steps (name, retry, timeout, ...). */
  step?: Record<string, unknown>;
}

export interface BuilderGraph {
  nodes: BuilderNode[];
  edges: FlowEdge[];
  /** The workflow's own keys as written (name, description, vars, ...): all but trigger, steps and on_failure. */
  settings: Record<string, unknown>;
}

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

interface Exit {
  id: string;
  label?: 'then' | 'else';
}

export type DocumentGraph = { ok: true; graph: BuilderGraph } | { ok: false; problem: YamlProblem };

/** The graph of the workflow in `text`, or the YAML syntax problem that stops reading it. */
export function documentGraph(text: string, options: { slots?: boolean } = {}): DocumentGraph {
  const opened = openWorkflow(text);
  if (!opened.ok) return opened;
  const { doc, body } = opened;
  const all: unknown = doc.toJS();
  const workflow = body.length && isRecord(all) ? all.workflow : all;
  return { ok: true, graph: readGraph(isRecord(workflow) ? workflow : {}, options.slots ?? false) };
}

function readGraph(workflow: Raw, slots: boolean): BuilderGraph {
  const nodes: BuilderNode[] = [];
  const edges: FlowEdge[] = [];
  const connect = (from: Exit[], to: string) => {
    for (const exit of from)
      edges.push({ id: `${exit.id}->${to}`, source: exit.id, target: to, ...(exit.label ? { label: exit.label } : {}) });
  };
  const slot = (list: YamlPath, index: number, label: string, parent: string | undefined, from: Exit[]) => {
    const id = `slot:${formatPath(list)}`;
    nodes.push({
      id,
      kind: 'slot',
      label,
      type: 'slot',
      dropPlace: { list, index },
      place: { list, index },
      ...(parent ? { parent } : {}),
    });
    connect(from, id);
  };

  const chain = (steps: unknown[], list: YamlPath, entries: Exit[], parent: string | undefined, skipFirst = false): Exit[] => {
    let exits = entries;
    steps.forEach((step, index) => {
      if (skipFirst && index === 0) return;
      if (!isRecord(step)) return;
      const at = [...list, index];
      const id = formatPath(at);
      const loopKey = isRecord(step.loop) ? 'loop' : isRecord(step.for_each) ? 'for_each' : undefined;
      const kind = isRecord(step.condition) ? 'condition' : loopKey ? 'loop' : 'action';
      const action = isRecord(step.action) ? step.action : {};
      const type = kind === 'action' ? String(action.type ?? 'action') : kind;
      const config = kind === 'condition' ? (step.condition as Raw) : loopKey ? (step[loopKey] as Raw) : action;
      const node: BuilderNode = {
        id,
        kind,
        type,
        label: typeof step.name === 'string' ? step.name : type,
        at,
        place: { list, index },
        dropPlace: { list, index: index + 1 },
        config,
        configAt: [...at, kind === 'condition' ? 'condition' : (loopKey ?? 'action')],
        step: withoutChildren(step),
        ...(parent ? { parent } : {}),
      };
      if (kind === 'condition') node.detail = `if ${String(config.if ?? '')}`;
      if (loopKey) {
        node.detail = `for each of ${typeof config.over === 'string' ? config.over : `${(config.over as unknown[] | undefined)?.length ?? 0} items`}`;
        node.dropPlace = { list: [...at, loopKey, 'steps'], index: ((config.steps as unknown[] | undefined) ?? []).length };
      }
      nodes.push(node);
      connect(exits, id);
      if (kind === 'condition') {
        const branch = (key: 'then' | 'else') => {
          const inner = Array.isArray(config[key]) ? (config[key] as unknown[]) : [];
          const branchList = [...at, 'condition', key];
          if (inner.length === 0) {
            if (!slots) return [{ id, label: key }];
            slot(branchList, 0, `Drop a step for "${key}"`, parent, [{ id, label: key }]);
            return [{ id: `slot:${formatPath(branchList)}` }];
          }
          return chain(inner, branchList, [{ id, label: key }], parent);
        };
        exits = [...branch('then'), ...branch('else')];
      } else {
        if (loopKey) {
          const inner = Array.isArray(config.steps) ? (config.steps as unknown[]) : [];
          const loopList = [...at, loopKey, 'steps'];
          if (inner.length === 0 && slots) slot(loopList, 0, 'Drop a step to repeat', id, []);
          else chain(inner, loopList, [], id);
        }
        exits = [{ id }];
      }
    });
    return exits;
  };

  const steps = Array.isArray(workflow.steps) ? (workflow.steps as unknown[]) : [];
  const first = steps[0];
  const stepTrigger = isRecord(first) && isRecord(first.trigger) ? first : undefined;
  const trigger = stepTrigger ? (stepTrigger.trigger as Raw) : isRecord(workflow.trigger) ? workflow.trigger : undefined;
  const entries: Exit[] = [];
  if (trigger) {
    const type = String(trigger.type ?? 'trigger');
    nodes.push({
      id: 'trigger',
      kind: 'trigger',
      type,
      label:
        typeof stepTrigger?.name === 'string' ? stepTrigger.name : typeof trigger.name === 'string' ? trigger.name : triggerTitle(type),
      at: stepTrigger ? ['steps', 0, 'trigger'] : ['trigger'],
      ...(triggerDetail(trigger) ? { detail: triggerDetail(trigger) } : {}),
      dropPlace: { list: ['steps'], index: stepTrigger ? 1 : 0 },
      config: trigger,
      configAt: stepTrigger ? ['steps', 0, 'trigger'] : ['trigger'],
      ...(stepTrigger ? { step: stepTrigger } : {}),
    });
    entries.push({ id: 'trigger' });
  } else if (slots) {
    nodes.push({ id: 'slot:trigger', kind: 'slot', type: 'trigger', label: 'Drop a trigger here' });
    entries.push({ id: 'slot:trigger' });
  }

  let exits: Exit[];
  if (isRecord(workflow.action) && !Array.isArray(workflow.steps)) {
    const action = workflow.action;
    const type = String(action.type ?? 'action');
    nodes.push({
      id: 'action',
      kind: 'action',
      type,
      label: type,
      at: ['action'],
      configAt: ['action'],
      config: action,
      dropPlace: { list: ['steps'], index: 1 },
    });
    connect(entries, 'action');
    exits = [{ id: 'action' }];
  } else {
    exits = chain(steps, ['steps'], entries, undefined, stepTrigger !== undefined);
  }
  if (slots) slot(['steps'], steps.length, 'Drop a step here', undefined, exits);

  const handling = isRecord(workflow.error_handling) ? workflow.error_handling : {};
  const onFailure = Array.isArray(handling.on_failure) ? handling.on_failure : [];
  let previous: Exit[] = [];
  onFailure.forEach((action, index) => {
    if (!isRecord(action)) return;
    const id = `on_failure[${index}]`;
    const type = String(action.type ?? 'action');
    nodes.push({
      id,
      kind: 'on_failure',
      type,
      label: typeof action.name === 'string' ? action.name : type,
      detail: `on failure · ${type}`,
      at: ['error_handling', 'on_failure', index],
      configAt: ['error_handling', 'on_failure', index],
      config: action,
    });
    connect(previous, id);
    previous = [{ id }];
  });
  const { trigger: _trigger, steps: _steps, action: _action, ...settings } = workflow;
  if (isRecord(workflow.error_handling)) {
    const { on_failure: _onFailure, ...rest } = workflow.error_handling;
    if (Object.keys(rest).length > 0) settings.error_handling = rest;
    else delete settings.error_handling;
  }
  return { nodes, edges, settings };
}

function withoutChildren(step: Raw): Raw {
  const copy = { ...step };
  if (isRecord(copy.condition)) {
    const { then: _then, else: _else, ...condition } = copy.condition;
    copy.condition = condition;
  }
  for (const key of ['loop', 'for_each']) {
    if (isRecord(copy[key])) {
      const { steps: _steps, ...loop } = copy[key] as Raw;
      copy[key] = loop;
    }
  }
  return copy;
}

function triggerTitle(type: string): string {
  return `${type.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())} trigger`;
}
