// Every state change the executor makes to a run, one statement each. Transitions
// are guarded (`where status = ...`) so a cancelled run stays cancelled whatever a
// worker was doing, and step records travel in the same statement as the run's
// status; runs that end together share one statement and one commit (finishRun).
import type pg from 'pg';
import { groupCommit } from '../core/group-commit.js';
import type { RunStatus } from '../../db/schema.js';
import type { InsertedRun } from '../queue/intake-batch.js';
import { serializeRecords, storableJson, stepWriteCte, type StepRecord } from './step-record.js';

export interface ClaimedRun {
  id: string;
  workflow_id: number;
  version: number;
  trigger_kind: string;
  trigger_data: Record<string, unknown>;
  status: RunStatus;
  wake_at: Date | null;
  attempt: number;
  retry_of: string | null;
  parent_run_id: string | null;
  waiting_for: string | null;
  queue_name: string | null;
  created_at: Date;
  /** Null until the run is claimed (a pure prefix runs unclaimed). */
  started_at: Date | null;
  slug: string;
  name: string;
}

/** The run as khaosflow.runs holds it right after its intake (what readRun would return). */
export function justInserted(id: string, run: InsertedRun): ClaimedRun {
  return {
    id,
    workflow_id: run.workflowId,
    version: run.version,
    trigger_kind: run.triggerKind,
    trigger_data: run.trigger,
    status: 'queued',
    wake_at: null,
    attempt: 0,
    retry_of: null,
    parent_run_id: null,
    waiting_for: null,
    queue_name: run.queueName,
    created_at: run.createdAt,
    started_at: null,
    slug: run.slug,
    name: run.workflowName,
  };
}

const RUN_FIELDS = `r.id, r.workflow_id, r.version, r.trigger_kind, r.trigger_data, r.status, r.attempt, r.retry_of,
  r.parent_run_id, r.waiting_for, r.queue_name, r.wake_at, r.created_at, r.started_at, w.slug, w.name`;

/**
 * Takes a run for execution (khaosflow.claim_run): queued, waiting whose time has
 * come, or running (its previous worker died), and admitted by its queue. Returns
 * null when the run is finished, cancelled, not due or its queue is full.
 */
export async function claimRun(pool: pg.Pool, runId: string): Promise<ClaimedRun | null> {
  const { rows } = await pool.query<ClaimedRun>({
    name: 'kf_claim_run',
    text: `select ${RUN_FIELDS} from khaosflow.claim_run($1) r join khaosflow.workflows w on w.id = r.workflow_id`,
    values: [runId],
  });
  return rows[0] ?? null;
}

/**
 * Reads a run without taking it: the executor runs a pure prefix of steps before claiming.
 * The reads that jobs started together ask for share one query (one round trip for a
 * whole local-queue batch of runs); each caller still sees the run as it is at or after
 * the moment it asked.
 */
export function readRun(pool: pg.Pool, runId: string): Promise<ClaimedRun | null> {
  let reader = readers.get(pool);
  if (!reader) {
    reader = runReader(pool);
    readers.set(pool, reader);
  }
  return reader(runId);
}

type Waiting = { resolve(run: ClaimedRun | null): void; reject(err: unknown): void }[];
const readers = new WeakMap<pg.Pool, (runId: string) => Promise<ClaimedRun | null>>();

function runReader(pool: pg.Pool): (runId: string) => Promise<ClaimedRun | null> {
  let pending = new Map<string, Waiting>();
  let busy = false;
  const flush = async () => {
    while (pending.size > 0) {
      const batch = pending;
      pending = new Map();
      try {
        const { rows } = await pool.query<ClaimedRun>({
          name: 'kf_read_runs',
          text: `select ${RUN_FIELDS} from khaosflow.runs r join khaosflow.workflows w on w.id = r.workflow_id where r.id = any($1::uuid[])`,
          values: [[...batch.keys()]],
        });
        const found = new Map(rows.map((r) => [r.id, r]));
        // Each caller gets its own copy: the executor sets fields on the run it read.
        for (const [id, waiting] of batch) {
          const run = found.get(id);
          for (const w of waiting) w.resolve(run ? { ...run } : null);
        }
      } catch (err) {
        for (const waiting of batch.values()) for (const w of waiting) w.reject(err);
      }
    }
    busy = false;
  };
  return (runId) =>
    new Promise((resolve, reject) => {
      const waiting = pending.get(runId) ?? [];
      waiting.push({ resolve, reject });
      pending.set(runId, waiting);
      if (!busy) {
        busy = true;
        setImmediate(() => void flush());
      }
    });
}

/** Queued runs of a workflow, up to and including `runId`, whose queue key is not evaluated yet (oldest first). */
export async function unqueuedRunsUpTo(
  pool: pg.Pool,
  workflowId: number,
  runId: string,
): Promise<{ id: string; version: number; trigger_data: Record<string, unknown> }[]> {
  const { rows } = await pool.query({
    name: 'kf_unqueued_runs',
    text: `select id, version, trigger_data from khaosflow.runs
            where workflow_id = $1 and id <= $2 and status = 'queued' and queue_name is null
            order by id limit 1000`,
    values: [workflowId, runId],
  });
  return rows;
}

/** Sets queue names that are still unset (a name, once set, never changes). */
export async function setQueues(pool: pg.Pool, runIds: string[], queueNames: string[]): Promise<void> {
  await pool.query({
    name: 'kf_set_queues',
    text: `update khaosflow.runs r set queue_name = v.q
             from unnest($1::uuid[], $2::text[]) v(id, q)
            where r.id = v.id and r.queue_name is null`,
    values: [runIds, queueNames],
  });
}

export interface Checkpoints {
  /** Output of the latest successful attempt, by step path. */
  succeeded: Map<string, { output: unknown; action_type: string | null }>;
  /** Highest attempt number recorded so far, by step path (new attempts number after it). */
  attempts: Map<string, number>;
  /** Failed attempts by step path; these count against the retry policy. */
  failures: Map<string, number>;
}

/**
 * Loads what earlier executions of the run recorded. Attempts still marked running
 * were cut off by a dying worker: they are closed as "Interrupted", which does not
 * count against the step's retry policy (the crash was not the step's fault).
 */
export async function loadCheckpoints(pool: pg.Pool, runId: string): Promise<Checkpoints> {
  const { rows } = await pool.query<{
    step_path: string;
    attempt: number;
    status: string;
    output: unknown;
    action_type: string | null;
    interrupted: boolean;
  }>({
    name: 'kf_load_checkpoints',
    text: `with closed as (
             update khaosflow.step_runs
                set status = 'failed', finished_at = now(),
                    error = jsonb_build_object('name', 'Interrupted', 'message', 'The worker running this attempt stopped; the step was run again.', 'retryable', true)
              where run_id = $1 and status = 'running'
          returning id)
           select step_path, attempt, status, output, action_type,
                  (id in (select id from closed) or coalesce(error->>'name', '') = 'Interrupted') as interrupted
             from khaosflow.step_runs where run_id = $1 order by id`,
    values: [runId],
  });
  const succeeded = new Map<string, { output: unknown; action_type: string | null }>();
  const attempts = new Map<string, number>();
  const failures = new Map<string, number>();
  for (const r of rows) {
    attempts.set(r.step_path, Math.max(attempts.get(r.step_path) ?? 0, r.attempt));
    if (r.status === 'succeeded') succeeded.set(r.step_path, { output: r.output, action_type: r.action_type });
    else if (!r.interrupted) failures.set(r.step_path, (failures.get(r.step_path) ?? 0) + 1);
  }
  return { succeeded, attempts, failures };
}

/** Writes step records; returns false when the run is no longer running (cancelled). */
export async function writeSteps(pool: pg.Pool, runId: string, records: readonly StepRecord[]): Promise<boolean> {
  const { rows } = await pool.query<{ running: boolean }>({
    name: 'kf_write_steps',
    text: `with ${stepWriteCte(2)}
           select (select n from steps_written) >= 0
              and exists (select 1 from khaosflow.runs where id = $1 and status = 'running') as running`,
    values: [runId, serializeRecords(records)],
  });
  return rows[0]?.running ?? false;
}

/** Inserts the "running" row of a step that takes a while, so the console shows it. */
export async function insertRunningStep(pool: pg.Pool, runId: string, record: StepRecord): Promise<number> {
  const { rows } = await pool.query<{ id: number }>({
    name: 'kf_insert_running_step',
    text: `insert into khaosflow.step_runs (run_id, step_path, step_slug, step_name, action_type, attempt, status, input, started_at)
           values ($1, $2, $3, $4, $5, $6, 'running', $7, $8) returning id`,
    values: [
      runId,
      record.step_path,
      record.step_slug,
      record.step_name,
      record.action_type,
      record.attempt,
      storableJson(record.input ?? null),
      record.started_at,
    ],
  });
  return rows[0]!.id;
}

export async function runStatus(pool: pg.Pool, runId: string): Promise<RunStatus | null> {
  const { rows } = await pool.query<{ status: RunStatus }>({
    name: 'kf_run_status',
    text: 'select status from khaosflow.runs where id = $1',
    values: [runId],
  });
  return rows[0]?.status ?? null;
}

export interface RunOutcome {
  status: 'succeeded' | 'failed';
  output: unknown;
  error: unknown;
  startedAt: Date;
}

/**
 * Ends a run: writes its last step records and its final status, and wakes the parent
 * run waiting for it (call_workflow). Runs of this process that end while an earlier
 * finish is being written are finished together by one khaosflow.finish_runs call
 * (sql/000018): one commit for all of them. Resolves once the commit holding this run's
 * end is done, with false when the run was no longer running (cancelled).
 */
export function finishRun(pool: pg.Pool, runId: string, outcome: RunOutcome, records: readonly StepRecord[]): Promise<boolean> {
  let finisher = finishers.get(pool);
  if (!finisher) {
    finisher = runFinisher(pool);
    finishers.set(pool, finisher);
  }
  return finisher({ runId, outcome, records: serializeRecords(records) });
}

interface PendingFinish {
  runId: string;
  outcome: RunOutcome;
  records: string;
}

const finishers = new WeakMap<pg.Pool, (f: PendingFinish) => Promise<boolean>>();

function runFinisher(pool: pg.Pool, maxBatch = 128): (f: PendingFinish) => Promise<boolean> {
  return groupCommit<PendingFinish, boolean>({
    maxBatch,
    async write(batch) {
      const { rows } = await pool.query<{ ord: number; finished: boolean }>({
        name: 'kf_finish_runs',
        text: 'select ord, finished from khaosflow.finish_runs($1::uuid[], $2::text[], $3::jsonb[], $4::jsonb[], $5::timestamptz[], $6::jsonb[])',
        values: [
          batch.map((f) => f.runId),
          batch.map((f) => f.outcome.status),
          batch.map((f) => storableJson(f.outcome.output ?? null)),
          batch.map((f) => storableJson(f.outcome.error ?? null)),
          batch.map((f) => f.outcome.startedAt.toISOString()),
          batch.map((f) => f.records),
        ],
      });
      const finished = new Array<boolean>(batch.length).fill(false);
      for (const row of rows) finished[row.ord - 1] = row.finished;
      return finished;
    },
    writeAlone: (f) => finishRunAlone(pool, f.runId, f.outcome, f.records),
  });
}

/** One run's finish in a statement of its own: what a batch falls back to when it fails as a whole. */
async function finishRunAlone(pool: pg.Pool, runId: string, outcome: RunOutcome, records: string): Promise<boolean> {
  const { rows } = await pool.query<{ finished: boolean }>({
    name: 'kf_finish_run',
    text: `with ${stepWriteCte(5)},
           fin as (
             update khaosflow.runs
                set status = $2, output = $3::jsonb, error = $4::jsonb, finished_at = now(),
                    started_at = coalesce(started_at, $6), attempt = greatest(attempt, 1)
              where id = $1 and status in ('running', 'queued') and (select n from steps_written) >= 0
          returning id, parent_run_id, queue_name
           ), next_in_queue as (
             select khaosflow.wake_queue(fin.queue_name) from fin where fin.queue_name is not null
           ), parent as (
             update khaosflow.runs p set waiting_for = null
               from fin
              where p.id = fin.parent_run_id and p.status = 'waiting' and p.waiting_for = fin.id
          returning p.id, p.queue_name, p.priority
           ), wake as (
             select khaosflow.add_run_job(parent.id, parent.priority) as job from parent
           )
           select exists (select 1 from fin) as finished, (select count(*) from wake) as woke,
                  (select count(*) from next_in_queue) as next`,
    values: [
      runId,
      outcome.status,
      storableJson(outcome.output ?? null),
      storableJson(outcome.error ?? null),
      records,
      outcome.startedAt.toISOString(),
    ],
  });
  return rows[0]?.finished ?? false;
}

/**
 * Parks a running run until `wakeAt` (or until its child finishes) without holding a
 * worker: status waiting plus a job scheduled for then, in one statement. When the
 * child it waits for has already finished, nothing is parked and false is returned
 * so the executor carries on at once.
 */
export async function suspendRun(
  pool: pg.Pool,
  runId: string,
  wait: { wakeAt: Date | null; waitingFor: string | null },
  records: readonly StepRecord[],
): Promise<boolean> {
  const { rows } = await pool.query<{ parked: boolean }>({
    name: 'kf_suspend_run',
    text: `with ${stepWriteCte(4)},
           park as (
             update khaosflow.runs r
                set status = 'waiting', wake_at = $2, waiting_for = $3
              where r.id = $1 and r.status = 'running' and (select n from steps_written) >= 0
                and ($3::uuid is null or exists (
                      select 1 from khaosflow.runs c where c.id = $3::uuid and c.status in ('queued', 'running', 'waiting')))
          returning r.id, r.queue_name, r.priority
           ), job as (
             select khaosflow.add_run_job(park.id, park.priority, $2) as j
               from park where $2::timestamptz is not null
           ), next_in_queue as (
             select khaosflow.wake_queue(park.queue_name) from park where park.queue_name is not null
           )
           select exists (select 1 from park) as parked, (select count(*) from job) as jobs,
                  (select count(*) from next_in_queue) as next`,
    values: [runId, wait.wakeAt?.toISOString() ?? null, wait.waitingFor, serializeRecords(records)],
  });
  return rows[0]?.parked ?? false;
}

/**
 * Hands a running run back to the queue (worker shutting down): its finished steps
 * are written and a new job takes it up where it stopped.
 */
export async function releaseRun(pool: pg.Pool, runId: string, records: readonly StepRecord[]): Promise<void> {
  await pool.query({
    name: 'kf_release_run',
    text: `with ${stepWriteCte(2)},
           released as (
             update khaosflow.runs set status = 'queued'
              where id = $1 and status in ('running', 'queued') and (select n from steps_written) >= 0
          returning id, queue_name, priority)
           select khaosflow.add_run_job(id, priority) from released`,
    values: [runId, serializeRecords(records)],
  });
}
