// The flow graph and its layout, over every example workflow shipped in examples/: each
// step is exactly one node, every edge joins two nodes, loops hold their steps, and no two
// nodes on one level overlap.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stepRunsByNode, testStepRuns, workflowGraph } from '../../../app/flow/graph.js';
import { layoutGraph } from '../../../app/flow/layout.js';
import { parseWorkflow } from '../../../server/workflow/parse-workflow.js';
import type { StepDefinition, WorkflowDefinition } from '../../../server/workflow/types.js';

function exampleFiles(dir = 'examples'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return exampleFiles(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

function allSteps(steps: StepDefinition[]): StepDefinition[] {
  return steps.flatMap((step) => [
    step,
    ...(step.kind === 'condition' ? [...allSteps(step.then), ...allSteps(step.else)] : []),
    ...(step.kind === 'loop' ? allSteps(step.steps) : []),
  ]);
}

const examples = exampleFiles()
  .map((file) => ({ file, parsed: parseWorkflow(readFileSync(file, 'utf8'), { file }) }))
  .filter((example): example is { file: string; parsed: { ok: true; workflow: WorkflowDefinition; warnings: [] } } => example.parsed.ok);

describe('flow graph of every example workflow', () => {
  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThan(10);
  });

  it.each(examples.map((example) => [example.file, example.parsed.workflow] as const))('%s', (_file, workflow) => {
    const graph = workflowGraph(workflow);
    const ids = graph.nodes.map((node) => node.id);
    expect(new Set(ids).size).toBe(ids.length);
    const steps = allSteps(workflow.steps);
    expect(graph.nodes.filter((node) => node.kind !== 'trigger' && node.kind !== 'on_failure').map((node) => node.id)).toEqual(
      expect.arrayContaining(steps.map((step) => step.path)),
    );
    expect(graph.nodes.length).toBe(steps.length + (workflow.trigger ? 1 : 0) + workflow.error_handling.on_failure.length);
    for (const edge of graph.edges) {
      expect(ids).toContain(edge.source);
      expect(ids).toContain(edge.target);
    }

    const placed = layoutGraph(graph);
    const byLevel = new Map<string | undefined, string[]>();
    for (const node of graph.nodes) byLevel.set(node.parent, [...(byLevel.get(node.parent) ?? []), node.id]);
    for (const members of byLevel.values()) {
      for (const a of members) {
        for (const b of members) {
          if (a >= b) continue;
          const p = placed.get(a)!;
          const q = placed.get(b)!;
          const overlap = p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
          expect(overlap, `${a} overlaps ${b}`).toBe(false);
        }
      }
    }
    // A loop's box holds its steps (their positions are relative to it).
    for (const node of graph.nodes.filter((n) => n.parent)) {
      const box = placed.get(node.id)!;
      const group = placed.get(node.parent!)!;
      expect(box.x + box.width).toBeLessThanOrEqual(group.width);
      expect(box.y + box.height).toBeLessThanOrEqual(group.height);
    }
  });
});

describe('condition branches and run statuses', () => {
  it('labels then/else edges and joins both branches to the next step', () => {
    const parsed = parseWorkflow(
      `name: Branches
trigger: { type: manual }
steps:
  - name: Decide
    condition:
      if: "{{ trigger.data.ok }}"
      then: [{ name: Yes, action: { type: log, message: y } }]
      else: [{ name: No, action: { type: log, message: n } }]
  - name: After
    action: { type: log, message: done }
`,
      { file: 'branches.yaml' },
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const graph = workflowGraph(parsed.workflow);
    const label = (target: string) => graph.edges.find((edge) => edge.target === target)?.label;
    const decide = graph.nodes.find((node) => node.label === 'Decide')!.id;
    const yes = graph.nodes.find((node) => node.label === 'Yes')!.id;
    const no = graph.nodes.find((node) => node.label === 'No')!.id;
    const after = graph.nodes.find((node) => node.label === 'After')!.id;
    expect(graph.edges.filter((edge) => edge.source === decide).map((edge) => edge.target)).toEqual([yes, no]);
    expect([label(yes), label(no)]).toEqual(['then', 'else']);
    expect(graph.edges.filter((edge) => edge.target === after).map((edge) => edge.source)).toEqual([yes, no]);
  });

  it('folds loop iterations onto one node with the worst status and the total time', () => {
    const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms)).toISOString();
    const runs = stepRunsByNode([
      { path: 'steps[1].loop.steps[0]@0', status: 'succeeded', started_at: at(0), finished_at: at(5) },
      { path: 'steps[1].loop.steps[0]@1', status: 'failed', started_at: at(5), finished_at: at(12) },
      { path: 'steps[0]', status: 'succeeded', started_at: at(0), finished_at: at(1) },
    ]);
    expect(runs.get('steps[1].loop.steps[0]')).toEqual({ status: 'failed', durationMs: 12, runs: 2 });
    expect(runs.get('steps[0]')).toEqual({ status: 'succeeded', durationMs: 1, runs: 1 });
  });

  it("folds a test run's live step events the same way, leaving out steps without a path", () => {
    const runs = testStepRuns([
      { path: 'steps[0]', status: 'succeeded', duration_ms: 4 },
      { path: 'steps[1].loop.steps[0]@0', status: 'succeeded', duration_ms: 3 },
      { path: 'steps[1].loop.steps[0]@1', status: 'running', duration_ms: null },
      { status: 'succeeded', duration_ms: 1 },
    ]);
    expect(runs).toEqual({
      'steps[0]': { status: 'succeeded', durationMs: 4, runs: 1 },
      'steps[1].loop.steps[0]': { status: 'running', durationMs: null, runs: 2 },
    });
  });
});
