// One attempt of one step, as written to khaosflow.step_runs, and how a batch of them
// is written in a single statement (jsonb_to_recordset) so checkpoints cost one
// round trip however many steps finished since the last write.
import type { StepStatus } from '../../db/schema.js';

export interface StepRecord {
  /** Set when a "running" row was already written for this attempt (long steps). */
  rowId?: number;
  step_path: string;
  step_slug: string;
  step_name: string;
  action_type: string | null;
  attempt: number;
  status: StepStatus;
  input: unknown;
  output: unknown;
  error: unknown;
  logs: unknown;
  started_at: string;
  finished_at: string | null;
}

/**
 * A CTE fragment writing the records in parameter `$param` (a jsonb array) for run
 * `$1`: new rows are inserted, rows written earlier as "running" are updated.
 * Exposes `steps_written(n)`.
 */
export function stepWriteCte(param: number): string {
  return `
  step_input as (
    select * from jsonb_to_recordset($${param}::jsonb) as x(
      "rowId" bigint, step_path text, step_slug text, step_name text, action_type text, attempt integer,
      status text, input jsonb, output jsonb, error jsonb, logs jsonb, started_at timestamptz, finished_at timestamptz)
  ), step_ins as (
    insert into khaosflow.step_runs (run_id, step_path, step_slug, step_name, action_type, attempt, status,
                                     input, output, error, logs, started_at, finished_at)
    select $1, step_path, step_slug, step_name, action_type, attempt, status,
           input, output, error, logs, started_at, finished_at
      from step_input where "rowId" is null
    returning 1
  ), step_upd as (
    update khaosflow.step_runs s
       set status = i.status, input = i.input, output = i.output, error = i.error, logs = i.logs,
           finished_at = i.finished_at
      from step_input i
     where i."rowId" is not null and s.id = i."rowId"
    returning 1
  ), steps_written as (
    select (select count(*) from step_ins) + (select count(*) from step_upd) as n
  )`;
}

function storable(_key: string, v: unknown): unknown {
  if (typeof v === 'string') return v.includes('\0') ? v.replaceAll('\0', '') : v;
  if (typeof v === 'bigint') return v.toString();
  if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
    const buf = Buffer.from((v as { data: number[] }).data);
    return { type: 'binary', encoding: 'base64', size: buf.length, data: buf.toString('base64') };
  }
  return v;
}

/**
 * A value as jsonb text: bigints as text, Buffers as base64 descriptors, NUL characters
 * dropped (jsonb refuses them). Step records, run outputs and run errors are written so.
 */
export function storableJson(value: unknown): string {
  // Most values are plain JSON: stringify without a replacer first (a replacer is a call
  // per value, the largest cost here), and again with one only when the text shows a
  // NUL or a Buffer, or a bigint made it throw.
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return 'null';
    if (!text.includes('\\u0000') && !text.includes('"type":"Buffer","data":[')) return text;
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
  }
  return JSON.stringify(value, storable) ?? 'null';
}

/** The jsonb parameter for stepWriteCte. */
export function serializeRecords(records: readonly StepRecord[]): string {
  return storableJson(records);
}
