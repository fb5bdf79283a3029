// A run's or step's status as a coloured pill; the text is the status itself.
const COLOURS: Record<string, string> = {
  succeeded: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
  failed: 'bg-red-50 text-red-700 ring-red-200',
  running: 'bg-sky-50 text-sky-700 ring-sky-200',
  queued: 'bg-slate-100 text-slate-700 ring-slate-200',
  waiting: 'bg-amber-50 text-amber-800 ring-amber-200',
  cancelled: 'bg-slate-100 text-slate-500 ring-slate-200',
  interrupted: 'bg-amber-50 text-amber-800 ring-amber-200',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${COLOURS[status] ?? COLOURS.queued}`}>
      {status}
    </span>
  );
}
