// Group commit at intake. Webhook requests that arrive while a batch is being written
// (or in the same turn of the event loop) are accepted together by one call of
// khaosflow.trigger_runs (sql/000010): one transaction, one commit, one WAL flush for
// all of them, instead of one commit each. Every caller is answered only after the
// commit that holds its run, so a 202 still means the run is on disk.
import type pg from 'pg';
import { triggerRun, WorkflowUnavailableError } from './enqueue-run.js';

/** The batch could not be written; none of its runs exist. The caller may try again. */
export class IntakeUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super('The run could not be saved (the database did not accept it); nothing was started. Try again.');
    this.name = 'IntakeUnavailableError';
  }
}

interface Pending {
  slug: string;
  triggerKind: string;
  trigger: string;
  dedupeKey: string | null;
  resolve(runId: string): void;
  reject(err: unknown): void;
}

export interface IntakeBatcher {
  /** Starts a run of the enabled workflow `slug`; resolves with its id once it is committed. */
  trigger(slug: string, triggerKind: string, trigger: Record<string, unknown>, dedupeKey?: string | null): Promise<string>;
}

export interface IntakeStats {
  batches: number;
  runs: number;
}

const unavailable = (slug: string, reason: string): WorkflowUnavailableError =>
  reason === 'not_found'
    ? new WorkflowUnavailableError(`There is no workflow "${slug}".`, 'not_found')
    : new WorkflowUnavailableError(`Workflow "${slug}" is disabled; enable it to start runs.`, 'disabled');

/**
 * A batcher writing to `pool`. At most one batch is in flight: what arrives meanwhile
 * forms the next one, so the batch size follows the load by itself (1 when idle, so a
 * lone request waits for no timer).
 */
export function createIntakeBatcher(pool: pg.Pool, opts: { maxBatch?: number } = {}): IntakeBatcher & { stats: IntakeStats } {
  const maxBatch = opts.maxBatch ?? 256;
  const stats: IntakeStats = { batches: 0, runs: 0 };
  let pending: Pending[] = [];
  let flushing = false;
  let scheduled = false;

  const write = async (batch: Pending[]) => {
    const { rows } = await pool.query<{ ord: number; run_id: string | null; refused: string | null }>({
      name: 'kf_trigger_runs',
      text: 'select ord, run_id, refused from khaosflow.trigger_runs($1::text[], $2::text[], $3::jsonb[], $4::text[])',
      values: [batch.map((p) => p.slug), batch.map((p) => p.triggerKind), batch.map((p) => p.trigger), batch.map((p) => p.dedupeKey)],
    });
    stats.batches++;
    stats.runs += batch.length;
    for (const row of rows) {
      const p = batch[row.ord - 1]!;
      if (row.run_id) p.resolve(row.run_id);
      else p.reject(unavailable(p.slug, row.refused ?? 'not_found'));
    }
  };

  // When a whole batch fails, one entry may be at fault (say a payload Postgres refuses):
  // each entry is then tried alone, so the others are still accepted and only the bad one
  // hears its own error.
  const writeAlone = async (p: Pending) => {
    try {
      p.resolve(await triggerRun(pool, p.slug, p.triggerKind, JSON.parse(p.trigger), p.dedupeKey));
    } catch (err) {
      p.reject(err instanceof WorkflowUnavailableError ? err : new IntakeUnavailableError(err));
    }
  };

  const flush = async () => {
    scheduled = false;
    flushing = true;
    while (pending.length > 0) {
      const batch = pending.slice(0, maxBatch);
      pending = pending.slice(batch.length);
      try {
        await write(batch);
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(new IntakeUnavailableError(err));
        else await Promise.all(batch.map(writeAlone));
      }
    }
    flushing = false;
  };

  return {
    stats,
    trigger(slug, triggerKind, trigger, dedupeKey) {
      return new Promise<string>((resolve, reject) => {
        pending.push({ slug, triggerKind, trigger: JSON.stringify(trigger), dedupeKey: dedupeKey ?? null, resolve, reject });
        // setImmediate lets the requests parsed in this same turn of the event loop join.
        if (!flushing && !scheduled) {
          scheduled = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}

const batchers = new WeakMap<pg.Pool, IntakeBatcher & { stats: IntakeStats }>();

/** The process's batcher for `pool` (one per pool, so every route shares its batches). */
export function intakeFor(pool: pg.Pool): IntakeBatcher & { stats: IntakeStats } {
  let batcher = batchers.get(pool);
  if (!batcher) {
    batcher = createIntakeBatcher(pool);
    batchers.set(pool, batcher);
  }
  return batcher;
}
