// Positions for a FlowGraph: top to bottom with dagre, each loop laid out on its own and
// drawn as a group around its steps, the on_failure lane in a column to the right.
// Positions are top-left corners (xyflow's convention); a loop's steps are relative to it.
import dagre from '@dagrejs/dagre';
import type { FlowEdge, FlowGraph, FlowNode } from './graph.js';

export const nodeSize = { width: 240, height: 68 };
const groupPadding = { x: 24, top: 56, bottom: 24 };
const laneGap = 96;

export interface Placed {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Top-left position and size of every node of `graph`. */
export function layoutGraph(graph: FlowGraph): Map<string, Placed> {
  const placed = new Map<string, Placed>();
  const childrenOf = new Map<string | undefined, FlowNode[]>();
  for (const node of graph.nodes) {
    const key = node.kind === 'on_failure' ? 'on_failure' : node.parent;
    childrenOf.set(key, [...(childrenOf.get(key) ?? []), node]);
  }

  // Lays out one level (the top, or one loop's steps); returns its bounding size.
  const level = (members: FlowNode[]): { width: number; height: number } => {
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: 'TB', nodesep: 48, ranksep: 56, marginx: 0, marginy: 0 });
    g.setDefaultEdgeLabel(() => ({}));
    const ids = new Set(members.map((node) => node.id));
    for (const node of members) {
      const size = node.kind === 'loop' ? groupSize(node) : nodeSize;
      g.setNode(node.id, { width: size.width, height: size.height });
    }
    for (const edge of graph.edges) if (ids.has(edge.source) && ids.has(edge.target)) g.setEdge(edge.source, edge.target);
    dagre.layout(g);
    let width = 0;
    let height = 0;
    for (const node of members) {
      const laid = g.node(node.id);
      const box = { x: laid.x - laid.width / 2, y: laid.y - laid.height / 2, width: laid.width, height: laid.height };
      placed.set(node.id, box);
      width = Math.max(width, box.x + box.width);
      height = Math.max(height, box.y + box.height);
    }
    return { width, height };
  };

  // A loop's size is its steps' size plus padding; its steps are placed inside it.
  const groupSize = (loop: FlowNode): { width: number; height: number } => {
    const inner = childrenOf.get(loop.id) ?? [];
    if (inner.length === 0) return { width: nodeSize.width + 2 * groupPadding.x, height: groupPadding.top + groupPadding.bottom };
    const size = level(inner);
    for (const node of inner) {
      const box = placed.get(node.id)!;
      placed.set(node.id, { ...box, x: box.x + groupPadding.x, y: box.y + groupPadding.top });
    }
    return { width: size.width + 2 * groupPadding.x, height: size.height + groupPadding.top + groupPadding.bottom };
  };

  const main = level(childrenOf.get(undefined) ?? []);
  const lane = childrenOf.get('on_failure') ?? [];
  lane.forEach((node, index) => {
    placed.set(node.id, { x: main.width + laneGap, y: index * (nodeSize.height + 40), ...nodeSize });
  });
  return placed;
}

/** Edges whose ends are both on the same level (a loop's steps connect only among themselves). */
export function visibleEdges(graph: FlowGraph): FlowEdge[] {
  const parent = new Map(graph.nodes.map((node) => [node.id, node.parent]));
  return graph.edges.filter((edge) => parent.get(edge.source) === parent.get(edge.target));
}
