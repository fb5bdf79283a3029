// The builder's canvas: the workflow laid out automatically, palette items dropped onto a
// node (after it), an edge (between its ends), a slot (an empty branch or loop) or the
// empty canvas (at the end); steps dragged onto another place move there. HTML5 drag
// and drop as in xyflow's drag-and-drop example; positions come from the layout, so the
// drop point only decides *where in the document* the step goes.
import {
  Background,
  Controls,
  type Edge,
  MarkerType,
  MiniMap,
  type Node,
  type OnNodeDrag,
  ReactFlow,
  type ReactFlowInstance,
  useNodesState,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { type DragEvent, useEffect, useMemo, useState } from 'react';
import type { BuilderGraph } from '../../flow/document-graph';
import type { StepRunSummary } from '../../flow/graph';
import { DRAG_TYPE, type DragPayload, type DropTarget } from '../../flow/drop';
import { layoutGraph, visibleEdges } from '../../flow/layout';
import { LoopNodeView, SlotNodeView, type StepNodeData, StepNodeView } from './flow-node';

const nodeTypes = { step: StepNodeView, loop: LoopNodeView, slot: SlotNodeView };

export interface BuilderCanvasProps {
  graph: BuilderGraph;
  selected: string | null;
  problems: Record<string, number>;
  /** Status and time of each node in the latest test run (keyed by node id), as FlowCanvas takes them. */
  runs?: Record<string, StepRunSummary> | undefined;
  onSelect(id: string | null): void;
  onDrop(payload: DragPayload, target: DropTarget): void;
}

/** The node or edge under a point, skipping `ignore` (the node being dragged). */
function targetAt(x: number, y: number, ignore?: string): DropTarget {
  for (const element of document.elementsFromPoint(x, y)) {
    const node = element.closest('.react-flow__node');
    const nodeId = node?.getAttribute('data-id');
    if (nodeId && nodeId !== ignore && !node?.closest(`.react-flow__node[data-id="${CSS.escape(ignore ?? '')}"]`)) return { node: nodeId };
    const edgeId = element.closest('.react-flow__edge')?.getAttribute('data-id');
    if (edgeId) return { edge: edgeId };
  }
  return null;
}

function readPayload(event: DragEvent): DragPayload | null {
  const text = event.dataTransfer.getData(DRAG_TYPE);
  if (!text) return null;
  try {
    return JSON.parse(text) as DragPayload;
  } catch {
    return null;
  }
}

export function BuilderCanvas({ graph, selected, problems, runs, onSelect, onDrop }: BuilderCanvasProps) {
  const laid = useMemo(() => toReactFlow(graph, problems, runs), [graph, problems, runs]);
  const [nodes, setNodes, onNodesChange] = useNodesState<Node<StepNodeData>>(laid.nodes);
  const [hover, setHover] = useState<string | null>(null);
  const [flow, setFlow] = useState<ReactFlowInstance<Node<StepNodeData>> | null>(null);
  useEffect(() => setNodes(laid.nodes.map((node) => ({ ...node, selected: node.id === selected }))), [laid, selected, setNodes]);
  // A new layout can reach past the viewport; show all of it once the nodes are placed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs for each new layout, which the effect does not read
  useEffect(() => {
    if (!flow) return;
    const frame = requestAnimationFrame(() => void flow.fitView({ padding: 0.2 }));
    return () => cancelAnimationFrame(frame);
  }, [laid, flow]);

  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes(DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    const target = targetAt(event.clientX, event.clientY);
    setHover(target ? ('node' in target ? target.node : target.edge) : null);
  };
  const onDropEvent = (event: DragEvent) => {
    event.preventDefault();
    setHover(null);
    const payload = readPayload(event);
    if (payload) onDrop(payload, targetAt(event.clientX, event.clientY));
  };
  const onNodeDragStop: OnNodeDrag<Node<StepNodeData>> = (event, node) => {
    const at = graph.nodes.find((n) => n.id === node.id)?.at;
    const point = 'changedTouches' in event ? event.changedTouches[0]! : event;
    const target = targetAt(point.clientX, point.clientY, node.id);
    if (at && target && node.data.kind !== 'trigger' && node.data.kind !== 'on_failure') onDrop({ kind: 'move', from: at }, target);
    else setNodes(laid.nodes.map((n) => ({ ...n, selected: n.id === selected })));
  };

  return (
    <div className="h-full w-full" data-drop-hover={hover ?? ''}>
      <ReactFlow
        onDragOver={onDragOver}
        onDragLeave={() => setHover(null)}
        onDrop={onDropEvent}
        nodes={nodes}
        edges={laid.edges.map((edge) => (edge.id === hover ? { ...edge, className: 'builder-drop-edge', animated: true } : edge))}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onNodeClick={(_event, node) => onSelect(node.data.kind === 'slot' ? null : node.id)}
        onPaneClick={() => onSelect(null)}
        onNodeDragStop={onNodeDragStop}
        onInit={setFlow}
        nodesConnectable={false}
        deleteKeyCode={null}
        fitView
        fitViewOptions={{ padding: 0.2 }}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable />
      </ReactFlow>
    </div>
  );
}

function toReactFlow(
  graph: BuilderGraph,
  problems: Record<string, number>,
  runs: Record<string, StepRunSummary> | undefined,
): { nodes: Node<StepNodeData>[]; edges: Edge[] } {
  const placed = layoutGraph(graph);
  const depth = (id: string): number => {
    const parent = graph.nodes.find((node) => node.id === id)?.parent;
    return parent ? 1 + depth(parent) : 0;
  };
  const ordered = [...graph.nodes].sort((a, b) => depth(a.id) - depth(b.id));
  const nodes = ordered.map((node): Node<StepNodeData> => {
    const box = placed.get(node.id)!;
    return {
      id: node.id,
      type: node.kind === 'loop' ? 'loop' : node.kind === 'slot' ? 'slot' : 'step',
      position: { x: box.x, y: box.y },
      width: box.width,
      height: box.height,
      draggable: node.kind !== 'slot' && node.kind !== 'trigger' && node.kind !== 'on_failure',
      data: {
        label: node.label,
        type: node.type,
        kind: node.kind,
        ...(node.detail ? { detail: node.detail } : {}),
        ...(problems[node.id] ? { problems: problems[node.id] } : {}),
        ...(runs?.[node.id] ? { run: runs[node.id] } : {}),
      },
      ...(node.parent ? { parentId: node.parent } : {}),
      ariaLabel: node.kind === 'slot' ? node.label : `${node.label} (${node.type})`,
    };
  });
  const edges: Edge[] = visibleEdges(graph).map((edge) => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    ...(edge.label ? { label: edge.label } : {}),
    markerEnd: { type: MarkerType.ArrowClosed },
    interactionWidth: 28,
    animated: runs?.[edge.target]?.status === 'running',
  }));
  return { nodes, edges };
}
