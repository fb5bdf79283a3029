// The visual flow builder: palette, canvas and the selected node's form, always in step
// with the YAML it is given. Every graph edit is a YAML edit (app/flow/yaml-edit.ts) handed
// to `onChange`; every YAML change redraws the canvas; a YAML that does not parse keeps
// the last good drawing on screen with the error. Drafts are checked by the same
// validator as saving (POST /builder), debounced, and problems are shown on their nodes.
// Rendered in the browser only (the CSP allows no inline styles in server HTML).
import { useEffect, useMemo, useRef, useState } from 'react';
import { useFetcher, useNavigation } from 'react-router';
import type { BuilderCatalog } from '../../../server/workflows/builder-catalog.js';
import { type BuilderGraph, documentGraph } from '../../flow/document-graph';
import { applyDrop, type DragPayload, type DropTarget } from '../../flow/drop';
import type { StepRunSummary } from '../../flow/graph';
import { paletteItems } from '../../flow/palette';
import { formatYamlPath } from '../../flow/yaml-edit';
import { BuilderCanvas } from './builder-canvas';
import { BuilderPalette } from './builder-palette';
import { NodePanel, type PanelProblem } from './node-panel';

export interface FlowBuilderProps {
  yaml: string;
  onChange(yaml: string): void;
  /**
   * Status and time of each node in the latest test run (keyed by node id, the shape
   * FlowCanvas takes as `runs`; see testStepRuns in app/flow/graph.ts). Drawn on the nodes.
   */
  runs?: Record<string, StepRunSummary> | undefined;
}

const EMPTY = 'name: New workflow\nsteps: []\n';

type Validation = { valid: boolean; problems: Array<{ line: number; col: number; path: string; message: string }> };

export function FlowBuilder({ yaml, onChange, runs }: FlowBuilderProps) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const catalog = useFetcher<BuilderCatalog>();
  const validation = useFetcher<Validation>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: load the palette once; the fetcher object changes on every render
  useEffect(() => {
    if (catalog.state === 'idle' && !catalog.data) catalog.load('/builder');
  }, []);

  const read = useMemo(() => documentGraph(yaml, { slots: true }), [yaml]);
  const lastGood = useRef<BuilderGraph | null>(null);
  if (read.ok) lastGood.current = read.graph;
  const graph = lastGood.current;
  const [selected, setSelected] = useState<string | null>(null);
  const [editError, setEditError] = useState<string | null>(null);

  // A check started while the page saves would revalidate the page mid-navigation.
  const navigating = useNavigation().state !== 'idle';
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-check when the text changes, not when the fetcher does
  useEffect(() => {
    if (!read.ok || navigating) return;
    const timer = setTimeout(() => validation.submit({ yaml }, { method: 'post', action: '/builder' }), 400);
    return () => clearTimeout(timer);
  }, [yaml, navigating]);

  const problems = useMemo(() => bodyProblems(validation.data?.problems ?? []), [validation.data]);
  const perNode = useMemo(() => problemsPerNode(graph, problems), [graph, problems]);
  const items = useMemo(() => (catalog.data ? paletteItems(catalog.data) : []), [catalog.data]);
  const node = graph?.nodes.find((n) => n.id === selected) ?? null;

  const edit = (change: (text: string) => string, select?: string | null) => {
    try {
      const next = change(yaml);
      setEditError(null);
      if (next !== yaml) onChange(next);
      if (select !== undefined) setSelected(select);
    } catch (err) {
      setEditError((err as Error).message);
    }
  };
  const drop = (payload: DragPayload, target: DropTarget) => {
    if (!graph) return;
    edit(
      (text) => applyDrop(text, graph, payload, target),
      payload.kind === 'trigger' ? 'trigger' : payload.kind === 'step' ? insertedId(graph, target) : null,
    );
  };

  return (
    <section aria-label="Flow builder" className="flex flex-col gap-2">
      <div className="flex items-center gap-2 text-xs">
        <button type="button" className="rounded border border-slate-300 px-2 py-1" onClick={() => edit(() => EMPTY, null)}>
          Start from an empty canvas
        </button>
        <span className="text-slate-500">
          {validation.data
            ? validation.data.valid
              ? 'The workflow is valid.'
              : `${validation.data.problems.length} problem(s) found.`
            : ''}
        </span>
      </div>
      {!read.ok ? (
        <p role="alert" data-yaml-error className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          The YAML does not parse (line {read.problem.line}, column {read.problem.col}): {read.problem.message}. The canvas shows the last
          version that did; fix the YAML to edit on the canvas again.
        </p>
      ) : null}
      {editError ? (
        <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {editError}
        </p>
      ) : null}
      <div className="grid h-[36rem] grid-cols-[13rem_1fr_18rem] gap-2">
        <BuilderPalette items={items} onAdd={(payload) => drop(payload, selected ? { node: selected } : null)} />
        <div className="overflow-hidden rounded-lg border border-slate-200 bg-white" data-builder-canvas>
          {mounted && graph ? (
            <BuilderCanvas graph={graph} selected={selected} problems={perNode} runs={runs} onSelect={setSelected} onDrop={drop} />
          ) : (
            <p className="p-4 text-sm text-slate-500">Drawing the flow…</p>
          )}
        </div>
        {graph ? <NodePanel graph={graph} node={node} catalog={catalog.data ?? null} problems={problems} onEdit={edit} /> : <div />}
      </div>
    </section>
  );
}

/** The id the step inserted by a drop on `target` will have. */
function insertedId(graph: BuilderGraph, target: DropTarget): string | null {
  const byId = (id: string) => graph.nodes.find((n) => n.id === id);
  let place = undefined as { list: (string | number)[]; index: number } | undefined;
  if (target && 'node' in target) place = byId(target.node)?.dropPlace;
  else if (target && 'edge' in target) place = byId(graph.edges.find((e) => e.id === target.edge)?.target ?? '')?.place;
  else place = byId('slot:steps')?.dropPlace;
  return place ? formatYamlPath([...place.list, place.index]) : null;
}

/** Problems with paths relative to the workflow body (`workflow.steps[0]` -> `steps[0]`). */
function bodyProblems(problems: Validation['problems']): PanelProblem[] {
  return problems.map((p) => ({ path: p.path.replace(/^workflow\.?/, ''), message: p.message }));
}

/** How many problems each node has: a problem belongs to the deepest node whose path starts it. */
function problemsPerNode(graph: BuilderGraph | null, problems: PanelProblem[]): Record<string, number> {
  const counts: Record<string, number> = {};
  if (!graph) return counts;
  for (const problem of problems) {
    let best: string | undefined;
    for (const n of graph.nodes) {
      if (n.kind === 'slot' || !n.at) continue;
      const at = formatYamlPath(n.at);
      const fits = problem.path === at || problem.path.startsWith(`${at}.`) || problem.path.startsWith(`${at}[`);
      if (fits && (!best || at.length > best.length)) best = n.id;
    }
    if (best) counts[best] = (counts[best] ?? 0) + 1;
  }
  return counts;
}
