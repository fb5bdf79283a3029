// Runs ending in this process, announced to whoever in the same process waits for
// them (a webhook answering with the run's result). The executor announces a run
// right after the statement that finished it committed, so a waiting request is
// answered without a poll or a round trip; runs ended elsewhere (another process,
// a cancel from SQL) still reach the waiter through its database check.
export interface EndedRun {
  id: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  output: unknown;
  error: { name?: string; message?: string; step?: string } | null;
}

const listeners = new Map<string, Set<(run: EndedRun) => void>>();

/** Calls `cb` when run `runId` ends in this process; returns the unsubscribe. */
export function onRunEnded(runId: string, cb: (run: EndedRun) => void): () => void {
  const set = listeners.get(runId) ?? new Set();
  set.add(cb);
  listeners.set(runId, set);
  return () => {
    set.delete(cb);
    if (set.size === 0 && listeners.get(runId) === set) listeners.delete(runId);
  };
}

/** Whether anyone waits for `runId` (so the executor prepares the announcement only then). */
export function isAwaited(runId: string): boolean {
  return listeners.has(runId);
}

/** Announces a run that ended; output and error as stored (JSON values). */
export function announceRunEnded(run: EndedRun): void {
  const set = listeners.get(run.id);
  if (!set) return;
  listeners.delete(run.id);
  for (const cb of set) cb(run);
}

/** A run's end as the database holds it: output and error after a JSON round trip. */
export function endedAsStored(id: string, status: EndedRun['status'], output: unknown, error: unknown): EndedRun {
  const asStored = (value: unknown) => (value === undefined ? null : JSON.parse(JSON.stringify(value)));
  return { id, status, output: asStored(output), error: asStored(error) };
}
