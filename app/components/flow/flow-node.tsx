// One node of the flow canvas: type icon, name, detail, and after a run its status and time.
import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import type { FlowNodeKind, StepRunSummary } from '../../flow/graph';
import { milliseconds } from '../../format';

export type StepNodeData = {
  label: string;
  type: string;
  kind: FlowNodeKind;
  detail?: string;
  run?: StepRunSummary;
  /** Builder: how many validation problems this node has. */
  problems?: number;
};
export type StepNode = Node<StepNodeData, 'step'>;

// Short type badges rather than emoji: they read the same in every font, headless too.
const badges: Record<string, string> = {
  webhook: 'HOOK',
  schedule: 'CRON',
  manual: '▶',
  database: 'DB',
  file_watcher: 'FILE',
  email: 'MAIL',
  http_request: 'HTTP',
  soap_request: 'SOAP',
  send_email: 'MAIL',
  run_script: 'CODE',
  transform: 'fx',
  log: 'LOG',
  delay: 'WAIT',
  condition: 'IF',
  loop: '↻',
};

const statusStyles: Record<string, string> = {
  succeeded: 'border-emerald-500 bg-emerald-50',
  failed: 'border-red-500 bg-red-50',
  running: 'border-sky-500 bg-sky-50',
  retrying: 'border-amber-500 bg-amber-50',
  waiting: 'border-amber-400 bg-amber-50',
  skipped: 'border-slate-300 bg-slate-50',
};

export function badgeOf(type: string): string {
  if (badges[type]) return badges[type];
  if (type.startsWith('database') || type.includes('query') || type.includes('sql')) return 'DB';
  if (type.includes('file') || type.includes('ftp') || type.includes('s3')) return 'FILE';
  if (type.includes('email') || type.includes('mail')) return 'MAIL';
  if (type.includes('workflow')) return 'FLOW';
  return type.slice(0, 4).toUpperCase();
}

export function StepNodeView({ data, selected }: NodeProps<StepNode>) {
  const look = data.run
    ? (statusStyles[data.run.status] ?? 'border-slate-300 bg-white')
    : data.problems
      ? 'border-red-400 bg-white'
      : 'border-slate-300 bg-white';
  const lane = data.kind === 'on_failure' ? 'border-dashed' : '';
  const ring = selected ? 'ring-2 ring-sky-500' : '';
  return (
    <div
      className={`h-full w-full rounded-lg border-2 px-3 py-2 text-left shadow-sm ${look} ${lane} ${ring}`}
      data-step-type={data.type}
      data-status={data.run?.status ?? ''}
    >
      {data.kind !== 'trigger' && data.kind !== 'on_failure' ? <Handle type="target" position={Position.Top} /> : null}
      <div className="flex items-center gap-2">
        <span aria-hidden="true" className="rounded bg-slate-800 px-1.5 py-0.5 font-mono text-[10px] font-bold text-white">
          {badgeOf(data.type)}
        </span>
        <span className="truncate text-sm font-semibold text-slate-900">{data.label}</span>
        {data.problems ? (
          <span
            className="ml-auto shrink-0 rounded bg-red-600 px-1 text-[10px] font-bold text-white"
            title="Problems found by the validator"
          >
            {data.problems}
          </span>
        ) : null}
      </div>
      <div className="mt-0.5 flex items-center gap-2 text-xs text-slate-500">
        <span className="truncate font-mono">{data.detail ?? data.type}</span>
        {data.run ? (
          <span className="ml-auto shrink-0">
            {data.run.status}
            {data.run.durationMs !== null ? ` · ${milliseconds(data.run.durationMs)}` : ''}
            {data.run.runs > 1 ? ` · ×${data.run.runs}` : ''}
          </span>
        ) : null}
      </div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}

export type LoopNode = Node<StepNodeData, 'loop'>;

export function LoopNodeView({ data, selected }: NodeProps<LoopNode>) {
  const look = data.run ? (statusStyles[data.run.status] ?? 'border-slate-300') : data.problems ? 'border-red-400' : 'border-slate-300';
  return (
    <div
      className={`h-full w-full rounded-xl border-2 border-dashed bg-slate-50/60 px-3 py-2 ${look} ${selected ? 'ring-2 ring-sky-500' : ''}`}
      data-step-type="loop"
      data-status={data.run?.status ?? ''}
    >
      <Handle type="target" position={Position.Top} />
      <div className="flex items-center gap-2 text-sm font-semibold text-slate-800">
        <span aria-hidden="true">↻</span>
        <span className="truncate">{data.label}</span>
      </div>
      <div className="truncate font-mono text-xs text-slate-500">{data.detail}</div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}

export type SlotNode = Node<StepNodeData, 'slot'>;

/** The builder's empty place to drop a step or trigger on. */
export function SlotNodeView({ data }: NodeProps<SlotNode>) {
  return (
    <div
      className="flex h-full w-full items-center justify-center rounded-lg border-2 border-dashed border-sky-300 bg-sky-50/60 text-xs text-sky-800"
      data-drop-slot="true"
    >
      {data.type !== 'trigger' ? <Handle type="target" position={Position.Top} /> : null}
      {data.label}
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}
