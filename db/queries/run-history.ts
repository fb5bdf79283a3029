// Run history: the newest runs matching filters, one page at a time with a
// (created_at, id) cursor. Each filter has an index in that order (sql/000015); text
// in the trigger data is searched in run_search (sql/000023) and its backlog (sql/000027).
import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { RunStatus } from '../schema.js';
import type { RunListItem } from './runs.js';

export interface RunHistoryFilter {
  workflowSlug?: string | undefined;
  statuses?: readonly RunStatus[] | undefined;
  triggerKind?: string | undefined;
  /** created_at >= since */
  since?: Date | undefined;
  /** created_at < until */
  until?: Date | undefined;
  /** Text anywhere in the trigger data (case-insensitive). */
  text?: string | undefined;
}

/** Where the previous page ended: its last run's created_at (microseconds, UTC text) and id. */
export interface RunCursor {
  createdAt: string;
  id: string;
}

export interface RunHistoryRow extends RunListItem {
  cursor: RunCursor;
}

const base = (db: Db) => db.selectFrom('khaosflow.runs as r').innerJoin('khaosflow.workflows as w', 'w.id', 'r.workflow_id');
type Query = ReturnType<typeof base>;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * The workflow's id when filtering by one (-1: no such workflow). Looked up first so
 * the planner sees the id itself and picks the per-workflow index, instead of
 * guessing how many runs a slug joined in selects.
 */
async function workflowIdOf(db: Db, filter: RunHistoryFilter): Promise<number | undefined> {
  if (!filter.workflowSlug) return undefined;
  const row = await db.selectFrom('khaosflow.workflows').select('id').where('slug', '=', filter.workflowSlug).executeTakeFirst();
  return row?.id ?? -1;
}

/**
 * Where a run's trigger data text is searched: run_search (sql/000023), trigram-indexed,
 * or for the newest runs the unindexed backlog on its way there (sql/000027). A run's
 * text is in exactly one of them (the move deletes and inserts in one statement), so a
 * text search is two queries, one per table, merged: each keeps the plan that suits it
 * (the index or walking the newest runs for run_search, a hash of the few backlog
 * matches for the backlog), which one query ORing both cannot.
 */
type TextSource = 'indexed' | 'backlog';

function filtered(q: Query, filter: RunHistoryFilter, workflowId: number | undefined, source: TextSource = 'indexed'): Query {
  let out = q;
  if (workflowId !== undefined) out = out.where('r.workflow_id', '=', workflowId);
  if (filter.statuses?.length === 1) out = out.where('r.status', '=', filter.statuses[0]!);
  else if (filter.statuses) out = out.where('r.status', 'in', filter.statuses);
  if (filter.triggerKind) out = out.where('r.trigger_kind', '=', filter.triggerKind);
  if (filter.since) out = out.where('r.created_at', '>=', filter.since);
  if (filter.until) out = out.where('r.created_at', '<', filter.until);
  if (filter.text) {
    const pattern = `%${escapeLike(filter.text)}%`;
    out = out.where(
      source === 'indexed'
        ? sql<boolean>`exists (select 1 from khaosflow.run_search s where s.run_id = r.id and s.trigger_text ilike ${pattern})`
        : sql<boolean>`r.id in (select b.run_id from khaosflow.run_search_backlog b where b.trigger_text ilike ${pattern})`,
    );
  }
  return out;
}

const newestFirst = (q: Query, limit: number) => q.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(limit);

/**
 * Up to `limit` runs newest first, after `cursor` when given.
 * @example const page = await runHistory(db, { statuses: ['failed'] }, 50);
 */
export async function runHistory(db: Db, filter: RunHistoryFilter, limit: number, cursor?: RunCursor): Promise<RunHistoryRow[]> {
  const workflowId = await workflowIdOf(db, filter);
  const page = (source: TextSource) => {
    let q = filtered(base(db), filter, workflowId, source);
    if (cursor) q = q.where(sql<boolean>`(r.created_at, r.id) < (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`);
    return newestFirst(q, limit).select([
      'r.id',
      'w.slug as workflow',
      'w.name as workflow_name',
      'r.status',
      'r.trigger_kind',
      'r.created_at',
      'r.started_at',
      'r.finished_at',
      sql<string>`to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at'),
    ]);
  };
  type Row = Awaited<ReturnType<ReturnType<typeof page>['execute']>>[number];
  const rows: Row[] = filter.text
    ? (
        await sql<Row>`select * from ((${page('indexed')}) union all (${page('backlog')})) as u
          order by u.created_at desc, u.id desc limit ${limit}`.execute(db)
      ).rows
    : await page('indexed').execute();
  return rows.map(({ cursor_at, ...run }) => ({ ...run, cursor: { createdAt: cursor_at, id: run.id } }));
}

/** The ids of up to `limit` runs matching `filter`, newest first (for bulk retry / cancel). */
export async function runHistoryIds(db: Db, filter: RunHistoryFilter, limit: number): Promise<string[]> {
  const workflowId = await workflowIdOf(db, filter);
  const page = (source: TextSource) => newestFirst(filtered(base(db), filter, workflowId, source), limit).select(['r.id', 'r.created_at']);
  const rows: Array<{ id: string }> = filter.text
    ? (
        await sql<{ id: string }>`select u.id from ((${page('indexed')}) union all (${page('backlog')})) as u
          order by u.created_at desc, u.id desc limit ${limit}`.execute(db)
      ).rows
    : await page('indexed').execute();
  return rows.map((r) => r.id);
}
