// Writes runs that executed before they were written (before-writing.ts): the run,
// its step records and its end in one khaosflow.record_runs call (sql/000026, 000028). Runs
// of this process that end while a record is being written go in the next one.
import type pg from 'pg';
import { groupCommit } from '../core/group-commit.js';
import { serializeRecords, type StepRecord } from './step-record.js';

export interface FinishedUnwrittenRun {
  id: string;
  workflowId: number;
  version: number;
  triggerKind: string;
  /** The trigger data as JSON text. */
  triggerText: string;
  status: 'succeeded' | 'failed';
  /** Output and error as jsonb text (storableJson). */
  outputText: string;
  errorText: string;
  createdAt: Date;
  startedAt: Date;
  records: readonly StepRecord[];
}

interface PendingRecord {
  run: FinishedUnwrittenRun;
  records: string;
}

const RECORD_SQL = 'select ord, recorded from khaosflow.record_runs($1::jsonb)';

/** One run as an element of record_runs' document: the JSON texts it already has, joined, not parsed and written again. */
function runDocument({ run, records }: PendingRecord): string {
  return (
    `{"id":"${run.id}","workflow_id":${run.workflowId},"version":${run.version},"trigger_kind":${JSON.stringify(run.triggerKind)},` +
    `"status":"${run.status}","trigger":${run.triggerText},"output":${run.outputText},"error":${run.errorText},` +
    `"created_at":"${run.createdAt.toISOString()}","started_at":"${run.startedAt.toISOString()}","steps":${records}}`
  );
}

async function recordMany(pool: pg.Pool, batch: PendingRecord[], name: string | undefined): Promise<boolean[]> {
  const { rows } = await pool.query<{ ord: number; recorded: boolean }>({
    ...(name ? { name } : {}),
    text: RECORD_SQL,
    values: [`[${batch.map(runDocument).join(',')}]`],
  });
  const recorded = new Array<boolean>(batch.length).fill(false);
  for (const row of rows) recorded[row.ord - 1] = row.recorded;
  return recorded;
}

const recorders = new WeakMap<pg.Pool, (p: PendingRecord) => Promise<boolean>>();

/**
 * Writes `run` finished. Resolves once the commit holding it is done: true when it was
 * written, false when its workflow was disabled, deleted or changed meanwhile (nothing
 * was written: run it the usual way).
 */
export function recordRun(pool: pg.Pool, run: FinishedUnwrittenRun): Promise<boolean> {
  let recorder = recorders.get(pool);
  if (!recorder) {
    recorder = groupCommit<PendingRecord, boolean>({
      maxBatch: 128,
      write: (batch) => recordMany(pool, batch, 'kf_record_runs'),
      writeAlone: async (p) => (await recordMany(pool, [p], undefined))[0]!,
    });
    recorders.set(pool, recorder);
  }
  return recorder({ run, records: serializeRecords(run.records) });
}
