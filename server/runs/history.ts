// Run history: filters (workflow, status, trigger, time range, text in the trigger
// data) and keyset pages, for the API (GET /api/runs), the console and bulk actions.
// The query's zod schema validates API requests and documents them (OpenAPI).
import { z } from 'zod';
import { type RunCursor, type RunHistoryFilter, runHistory, runHistoryIds } from '../../db/queries/run-history.js';
import type { RunListItem } from '../../db/queries/runs.js';
import { RUN_STATUSES, type RunStatus } from '../engine/statuses.js';
import { ServiceError } from '../service-errors.js';
import { cancelRun, retryRun } from './control.js';
import type { Services } from '../services.js';

type Deps = Pick<Services, 'db'>;

const instant = z.iso.datetime({ offset: true }).describe('ISO 8601 time, e.g. 2026-12-05T10:00:00Z');

/** The filters, as query parameters (GET /api/runs) or a JSON body (bulk retry / cancel). */
export const runFilterSchema = z.object({
  workflow: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/)
    .optional()
    .describe("The workflow's slug"),
  status: z.enum(RUN_STATUSES as [RunStatus, ...RunStatus[]]).optional(),
  trigger: z
    .string()
    .regex(/^[a-z_]+$/)
    .max(40)
    .optional()
    .describe('Trigger kind: manual, webhook, schedule, ...'),
  since: instant.optional().describe('Runs created at or after this time'),
  until: instant.optional().describe('Runs created before this time'),
  q: z.string().min(3).max(200).optional().describe('Text in the trigger data (at least 3 characters)'),
});

export const runListQuerySchema = runFilterSchema.extend({
  after: z.string().max(200).optional().describe('The `next` cursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).optional().describe('Rows per page (default 50)'),
});

export type RunFilterInput = z.infer<typeof runFilterSchema>;
export type RunListQuery = z.infer<typeof runListQuerySchema>;

/** `input` checked against `schema`; ServiceError `invalid` naming each wrong field otherwise. */
export function checked<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) fields[issue.path.join('.') || '(body)'] = issue.message;
  const list = Object.entries(fields).map(([k, v]) => `${k}: ${v}`);
  throw new ServiceError('invalid', 'invalid_filter', `Check the filters: ${list.join('; ')}.`, fields);
}

function toFilter(input: RunFilterInput): RunHistoryFilter {
  return {
    workflowSlug: input.workflow,
    statuses: input.status ? [input.status] : undefined,
    triggerKind: input.trigger,
    since: input.since ? new Date(input.since) : undefined,
    until: input.until ? new Date(input.until) : undefined,
    text: input.q,
  };
}

export const encodeCursor = (c: RunCursor): string => Buffer.from(`${c.createdAt}|${c.id}`).toString('base64url');

function decodeCursor(text: string): RunCursor {
  const [createdAt = '', id = ''] = Buffer.from(text, 'base64url').toString().split('|');
  if (!/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(createdAt) || !/^[0-9a-f-]{36}$/i.test(id))
    throw new ServiceError(
      'invalid',
      'invalid_filter',
      'after is not a cursor from this API; pass the `next` value of the previous page.',
      {
        after: 'is not a cursor',
      },
    );
  return { createdAt, id };
}

export interface RunPage {
  runs: RunListItem[];
  /** Pass as `after` for the next (older) page; null on the last page. */
  next: string | null;
}

/**
 * One page of runs matching the filters, newest first.
 * @example const { runs, next } = await searchRuns(services, { status: 'failed', q: 'acme' });
 */
export async function searchRuns(deps: Deps, query: RunListQuery): Promise<RunPage> {
  const limit = query.limit ?? 50;
  const rows = await runHistory(deps.db, toFilter(query), limit + 1, query.after ? decodeCursor(query.after) : undefined);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    runs: page.map(({ cursor: _cursor, ...run }) => run),
    next: rows.length > limit && last ? encodeCursor(last.cursor) : null,
  };
}

/** How many runs one bulk action touches at most; the answer says when more are left. */
export const BULK_LIMIT = 500;

export interface BulkResult {
  action: 'retry' | 'cancel';
  /** The runs acted on: for retry, the new runs with the ones they retry. */
  runs: { id: string; retry_of?: string }[];
  /** More runs match than one request handles (BULK_LIMIT); send the request again. */
  more: boolean;
}

/**
 * Retries the failed and cancelled runs among those the filters select (never the ones
 * that succeeded), each from its failed step.
 * @example await retryRuns(services, { workflow: 'sync', status: 'failed', since: '2026-12-05T00:00:00Z' });
 */
export async function retryRuns(deps: Deps, input: RunFilterInput): Promise<BulkResult> {
  const ids = await matching(deps, input, ['failed', 'cancelled']);
  const runs: BulkResult['runs'] = [];
  for (const id of ids.slice(0, BULK_LIMIT)) {
    const { runId } = await retryRun(deps, id, { fromFailedStep: true });
    runs.push({ id: runId, retry_of: id });
  }
  return { action: 'retry', runs, more: ids.length > BULK_LIMIT };
}

/**
 * Cancels the queued, running and waiting runs among those the filters select.
 * @example await cancelRuns(services, { workflow: 'sync', status: 'queued' });
 */
export async function cancelRuns(deps: Deps, input: RunFilterInput): Promise<BulkResult> {
  const ids = await matching(deps, input, ['queued', 'running', 'waiting']);
  const runs: BulkResult['runs'] = [];
  for (const id of ids.slice(0, BULK_LIMIT)) {
    try {
      await cancelRun(deps, id);
      runs.push({ id });
    } catch (err) {
      // It ended between the read and the cancel: nothing left to cancel.
      if (!(err instanceof ServiceError && err.kind === 'conflict')) throw err;
    }
  }
  return { action: 'cancel', runs, more: ids.length > BULK_LIMIT };
}

async function matching(deps: Deps, input: RunFilterInput, allowed: RunStatus[]): Promise<string[]> {
  const filter = toFilter(input);
  const statuses = input.status ? allowed.filter((s) => s === input.status) : allowed;
  if (statuses.length === 0) return [];
  return runHistoryIds(deps.db, { ...filter, statuses }, BULK_LIMIT + 1);
}
