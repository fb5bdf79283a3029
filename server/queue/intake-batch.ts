// Group commit at intake. Webhook requests that arrive while a batch is being written
// (or in the same turn of the event loop) are accepted together by one call of
// khaosflow.trigger_runs (sql/000010): one transaction, one commit, one WAL flush for
// all of them, instead of one commit each. Every caller is answered only after the
// commit that holds its run, so a 202 still means the run is on disk.
import type pg from 'pg';
import { triggerRun, WorkflowUnavailableError } from './enqueue-run.js';
import { createIntakePace } from './intake-pace.js';

/** The batch could not be written; none of its runs exist. The caller may try again. */
export class IntakeUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super('The run could not be saved (the database did not accept it); nothing was started. Try again.');
    this.name = 'IntakeUnavailableError';
  }
}

/** A committed run, and its Graphile job when it was locked for the accepting process to execute. */
export interface AcceptedRun {
  runId: string;
  /** Set only when the job was made and locked by `lockBy` in the same transaction (not for a deduplicated repeat). */
  jobId: number | null;
  /** With a locked job: the run as inserted, so its executor need not read it again. */
  inserted: InsertedRun | null;
}

/** What the intake knows of a run it just inserted (sql/000024). */
export interface InsertedRun {
  workflowId: number;
  workflowName: string;
  slug: string;
  version: number;
  triggerKind: string;
  trigger: Record<string, unknown>;
  queueName: string | null;
  createdAt: Date;
}

interface TriggerRunsRow {
  ord: number;
  run_id: string | null;
  refused: string | null;
  job_id: number | null;
  workflow_id: number | null;
  version: number | null;
  queue_name: string | null;
  created_at: Date | null;
  workflow_name: string | null;
}

interface Pending {
  slug: string;
  triggerKind: string;
  trigger: string;
  dedupeKey: string | null;
  lockBy: string | null;
  resolve(run: AcceptedRun): void;
  reject(err: unknown): void;
}

export interface IntakeBatcher {
  /** Starts a run of the enabled workflow `slug`; resolves with its id once it is committed. */
  trigger(slug: string, triggerKind: string, trigger: Record<string, unknown>, dedupeKey?: string | null): Promise<string>;
  /**
   * Like trigger, with the run's job locked by `lockBy` (a local runner's id) in the
   * same commit, so this process executes the run and no worker takes it meanwhile.
   */
  triggerHere(
    slug: string,
    triggerKind: string,
    trigger: Record<string, unknown>,
    dedupeKey: string | null | undefined,
    lockBy: string,
  ): Promise<AcceptedRun>;
}

export interface IntakeStats {
  batches: number;
  runs: number;
}

export interface IntakeOptions {
  maxBatch?: number;
  /** Ready runs in the queue above which a batch waits (intake-pace.ts); 0 never waits. */
  queueLimit?: number;
  /** The longest a batch waits for the queue to shrink. */
  maxPaceWaitMs?: number;
}

function insertedRun(p: Pending, row: TriggerRunsRow): InsertedRun | null {
  if (row.job_id === null || row.workflow_id === null || row.version === null || row.created_at === null) return null;
  return {
    workflowId: row.workflow_id,
    workflowName: row.workflow_name ?? p.slug,
    slug: p.slug,
    version: row.version,
    triggerKind: p.triggerKind,
    // As stored: the run's executor elsewhere reads it back from JSON.
    trigger: JSON.parse(p.trigger),
    queueName: row.queue_name,
    createdAt: row.created_at,
  };
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
export function createIntakeBatcher(pool: pg.Pool, opts: IntakeOptions = {}): IntakeBatcher & { stats: IntakeStats; pacedWaits(): number } {
  const maxBatch = opts.maxBatch ?? 256;
  const pace = createIntakePace(pool, { limit: opts.queueLimit ?? 0, ...(opts.maxPaceWaitMs ? { maxWaitMs: opts.maxPaceWaitMs } : {}) });
  const stats: IntakeStats = { batches: 0, runs: 0 };
  let pending: Pending[] = [];
  let flushing = false;
  let scheduled = false;

  const write = async (batch: Pending[]) => {
    const lockBy = batch.some((p) => p.lockBy) ? batch.map((p) => p.lockBy) : null;
    const { rows } = await pool.query<TriggerRunsRow>({
      name: 'kf_trigger_runs',
      text: 'select * from khaosflow.trigger_runs($1::text[], $2::text[], $3::jsonb[], $4::text[], $5::text[])',
      values: [
        batch.map((p) => p.slug),
        batch.map((p) => p.triggerKind),
        batch.map((p) => p.trigger),
        batch.map((p) => p.dedupeKey),
        lockBy,
      ],
    });
    stats.batches++;
    stats.runs += batch.length;
    for (const row of rows) {
      const p = batch[row.ord - 1]!;
      if (row.run_id) p.resolve({ runId: row.run_id, jobId: row.job_id, inserted: insertedRun(p, row) });
      else p.reject(unavailable(p.slug, row.refused ?? 'not_found'));
    }
  };

  // When a whole batch fails, one entry may be at fault (say a payload Postgres refuses):
  // each entry is then tried alone, so the others are still accepted and only the bad one
  // hears its own error.
  const writeAlone = async (p: Pending) => {
    try {
      // Not locked: the run goes through the queue like any other.
      p.resolve({ runId: await triggerRun(pool, p.slug, p.triggerKind, JSON.parse(p.trigger), p.dedupeKey), jobId: null, inserted: null });
    } catch (err) {
      p.reject(err instanceof WorkflowUnavailableError ? err : new IntakeUnavailableError(err));
    }
  };

  const flush = async () => {
    scheduled = false;
    flushing = true;
    while (pending.length > 0) {
      // What arrives while the batch waits for the queue joins it.
      await pace.admit();
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

  const enqueue = (slug: string, triggerKind: string, trigger: Record<string, unknown>, dedupeKey: string | null, lockBy: string | null) =>
    new Promise<AcceptedRun>((resolve, reject) => {
      pending.push({ slug, triggerKind, trigger: JSON.stringify(trigger), dedupeKey, lockBy, resolve, reject });
      // setImmediate lets the requests parsed in this same turn of the event loop join.
      if (!flushing && !scheduled) {
        scheduled = true;
        setImmediate(() => void flush());
      }
    });

  return {
    stats,
    pacedWaits: () => pace.stats.waits,
    async trigger(slug, triggerKind, trigger, dedupeKey) {
      return (await enqueue(slug, triggerKind, trigger, dedupeKey ?? null, null)).runId;
    },
    triggerHere(slug, triggerKind, trigger, dedupeKey, lockBy) {
      return enqueue(slug, triggerKind, trigger, dedupeKey ?? null, lockBy);
    },
  };
}

const batchers = new WeakMap<pg.Pool, IntakeBatcher & { stats: IntakeStats; pacedWaits(): number }>();

/** The process's batcher for `pool` (one per pool, so every route shares its batches); `opts` apply when it is made. */
export function intakeFor(pool: pg.Pool, opts: IntakeOptions = {}): IntakeBatcher & { stats: IntakeStats; pacedWaits(): number } {
  let batcher = batchers.get(pool);
  if (!batcher) {
    batcher = createIntakeBatcher(pool, opts);
    batchers.set(pool, batcher);
  }
  return batcher;
}
