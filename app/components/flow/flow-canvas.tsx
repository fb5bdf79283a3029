// The workflow drawn as a flow: React Flow canvas with zoom, fit and minimap. Rendered in
// the browser only: the page's CSP allows no inline style attributes in server HTML, and
// the canvas measures its container anyway.
import { Background, Controls, type Edge, MarkerType, MiniMap, type Node, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState } from 'react';
import type { FlowGraph, StepRunSummary } from '../../flow/graph';
import { layoutGraph, visibleEdges } from '../../flow/layout';
import { LoopNodeView, type StepNodeData, StepNodeView } from './flow-node';

const nodeTypes = { step: StepNodeView, loop: LoopNodeView };

export interface FlowCanvasProps {
  graph: FlowGraph;
  /** Status and time of each node in one run (keyed by node id). */
  runs?: Record<string, StepRunSummary>;
  /** Accessible name of the canvas region. */
  label?: string;
  /** The node shown selected (the run page: the step whose details are open). */
  selected?: string | null;
  /** Called with a node's id when it is clicked (the run page opens that step's details). */
  onSelect?(id: string): void;
}

export function FlowCanvas({ graph, runs, label = 'Workflow flow', selected = null, onSelect }: FlowCanvasProps) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const drawn = useMemo(() => toReactFlow(graph, runs), [graph, runs]);
  const nodes = useMemo(() => drawn.nodes.map((node) => (node.id === selected ? { ...node, selected: true } : node)), [drawn, selected]);
  const { edges } = drawn;
  return (
    <section aria-label={label} className="h-[28rem] w-full overflow-hidden rounded-lg border border-slate-200 bg-white">
      {mounted ? (
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          fitView
          fitViewOptions={{ padding: 0.15 }}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={onSelect !== undefined}
          {...(onSelect ? { onNodeClick: (_event: unknown, node: Node<StepNodeData>) => onSelect(node.id) } : {})}
          minZoom={0.2}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={16} />
          <Controls showInteractive={false} />
          <MiniMap pannable zoomable />
        </ReactFlow>
      ) : (
        <p className="p-4 text-sm text-slate-500">Drawing the flow…</p>
      )}
    </section>
  );
}

function toReactFlow(graph: FlowGraph, runs?: Record<string, StepRunSummary>): { nodes: Node<StepNodeData>[]; edges: Edge[] } {
  const placed = layoutGraph(graph);
  // xyflow needs a group before the nodes inside it.
  const ordered = [...graph.nodes].sort((a, b) => depth(graph, a.id) - depth(graph, b.id));
  const nodes: Node<StepNodeData>[] = ordered.map((node) => {
    const box = placed.get(node.id)!;
    const run = runs?.[node.id];
    return {
      id: node.id,
      type: node.kind === 'loop' ? 'loop' : 'step',
      position: { x: box.x, y: box.y },
      width: box.width,
      height: box.height,
      data: {
        label: node.label,
        type: node.type,
        kind: node.kind,
        ...(node.detail ? { detail: node.detail } : {}),
        ...(run ? { run } : {}),
      },
      ...(node.parent ? { parentId: node.parent, extent: 'parent' as const } : {}),
      ariaLabel: `${node.label} (${node.type})`,
    };
  });
  const edges: Edge[] = visibleEdges(graph).map((edge) => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    ...(edge.label ? { label: edge.label } : {}),
    markerEnd: { type: MarkerType.ArrowClosed },
    animated: runs?.[edge.target]?.status === 'running',
  }));
  return { nodes, edges };
}

function depth(graph: FlowGraph, id: string): number {
  let level = 0;
  let parent = graph.nodes.find((node) => node.id === id)?.parent;
  while (parent) {
    level++;
    parent = graph.nodes.find((node) => node.id === parent)?.parent;
  }
  return level;
}
