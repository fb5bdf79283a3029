// What a drop on the builder canvas does to the YAML: a palette item or a dragged step,
// dropped on a node, an edge, a slot or the empty canvas. Pure, so the rules are tested
// without a browser.
import type { BuilderGraph, BuilderNode } from './document-graph.js';
import { freeStepName, insertStep, moveStep, setTrigger, type StepPlace, type YamlPath } from './yaml-edit.js';

/** The drag data type the palette and the canvas agree on. */
export const DRAG_TYPE = 'application/x-khaosflow-step';

export type DragPayload =
  | { kind: 'trigger'; trigger: Record<string, unknown> }
  | { kind: 'step'; step: Record<string, unknown> }
  | { kind: 'move'; from: YamlPath };

/** What is under the pointer: a node or an edge (by id), or nothing. */
export type DropTarget = { node: string } | { edge: string } | null;

/** Where a step dropped on `target` goes: after a node, into a slot or loop, before an edge's end, else at the end. */
export function dropPlace(graph: BuilderGraph, target: DropTarget): StepPlace {
  const byId = (id: string) => graph.nodes.find((node) => node.id === id);
  const end: StepPlace = { list: ['steps'], index: topLevelCount(graph) };
  if (target && 'node' in target) return byId(target.node)?.dropPlace ?? end;
  if (target && 'edge' in target) {
    const edge = graph.edges.find((e) => e.id === target.edge);
    // Before the edge's end: on a condition's "then" edge, that is the top of the branch.
    return (edge ? byId(edge.target)?.place : undefined) ?? end;
  }
  return end;
}

function topLevelCount(graph: BuilderGraph): number {
  const slot = graph.nodes.find((node: BuilderNode) => node.id === 'slot:steps');
  if (slot?.dropPlace) return slot.dropPlace.index;
  return graph.nodes.filter((node) => node.at?.length === 2 && node.at[0] === 'steps').length;
}

/** The YAML after dropping `payload` on `target`. */
export function applyDrop(text: string, graph: BuilderGraph, payload: DragPayload, target: DropTarget): string {
  if (payload.kind === 'trigger') return setTrigger(text, payload.trigger);
  const place = dropPlace(graph, target);
  if (payload.kind === 'move') return moveStep(text, payload.from, place);
  const name = typeof payload.step.name === 'string' ? payload.step.name : 'Step';
  return insertStep(text, place, { ...payload.step, name: freeStepName(text, name) });
}
