// Text search over trigger data finds a run from the moment it exists: new runs' text
// waits in khaosflow.run_search_backlog (sql/000027) until the search index singleton
// moves it into the trigram-indexed run_search, and the run history reads both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHistory, runHistoryIds } from '../../db/queries/run-history.js';
import { indexRunSearch, runSearchIndexSingleton } from '../../server/runs/search-index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { silentLogger } from '../helpers/vault.js';
import { applyYaml } from '../triggers/helpers.js';

let tdb: TestDatabase;
let workflowId: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  await applyYaml(tdb.db, 'name: Searched\nsteps:\n  - name: Say\n    action: { type: log, message: hi }\n');
  const { rows } = await tdb.pool.query<{ id: string }>("select id::text from khaosflow.workflows where slug = 'searched'");
  workflowId = rows[0]!.id;
});
afterAll(async () => {
  await tdb?.drop();
});

async function addRuns(customers: string[]): Promise<string[]> {
  const { rows } = await tdb.pool.query<{ id: string }>(
    `insert into khaosflow.runs (workflow_id, version, status, trigger_data)
     select $1, 1, 'succeeded', jsonb_build_object('customer', c) from unnest($2::text[]) with ordinality as u(c, n)
     order by n returning id::text`,
    [workflowId, customers],
  );
  return rows.map((r) => r.id);
}

const counts = async () => {
  const { rows } = await tdb.pool.query<{ backlog: number; indexed: number }>(
    `select (select count(*)::int from khaosflow.run_search_backlog) as backlog,
            (select count(*)::int from khaosflow.run_search) as indexed`,
  );
  return rows[0]!;
};
const found = async (text: string) => (await runHistory(tdb.db, { text }, 50)).map((r) => r.id).sort();

describe('run search index', () => {
  it('finds new runs while their text is in the backlog and after it moved, in batches, into run_search', async () => {
    const before = await counts();
    const ids = await addRuns(['acme-1', 'acme-2', 'acme-3', 'globex-1', 'globex-2']);
    expect(await counts()).toEqual({ backlog: before.backlog + 5, indexed: before.indexed });
    expect(await found('ACME')).toEqual(ids.slice(0, 3).sort());

    // Batches of 2: 5 rows take three calls, the last one short.
    expect(await indexRunSearch(tdb.pool, { batch: 2 })).toBe(before.backlog + 5);
    expect(await counts()).toEqual({ backlog: 0, indexed: before.indexed + before.backlog + 5 });
    expect(await found('ACME')).toEqual(ids.slice(0, 3).sort());
    expect(await found('globex-2')).toEqual([ids[4]]);
    // Moved once, found once.
    expect(await indexRunSearch(tdb.pool)).toBe(0);
    expect(await found('globex')).toEqual(ids.slice(3).sort());
  });

  it('drops the text of runs deleted before it moved', async () => {
    await indexRunSearch(tdb.pool);
    const [gone, kept] = await addRuns(['initech-gone', 'initech-kept']);
    await tdb.pool.query('delete from khaosflow.runs where id = $1', [gone]);
    expect(await found('initech')).toEqual([kept]);
    expect(await indexRunSearch(tdb.pool)).toBe(2);
    const { rows } = await tdb.pool.query<{ run_id: string }>(
      "select run_id::text from khaosflow.run_search where trigger_text like '%initech%'",
    );
    expect(rows.map((r) => r.run_id)).toEqual([kept]);
  });

  it('pages newest first through matches of which some are indexed and some still in the backlog', async () => {
    await indexRunSearch(tdb.pool);
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 0, minute)).toISOString();
    const add = async (minutes: number[]) =>
      (
        await tdb.pool.query<{ id: string }>(
          `insert into khaosflow.runs (workflow_id, version, status, trigger_data, created_at)
           select $1, 1, 'succeeded', jsonb_build_object('customer', 'split-' || m), m::timestamptz
             from unnest($2::text[]) as m returning id::text`,
          [workflowId, minutes.map(at)],
        )
      ).rows.map((r) => r.id);
    // Indexed: minutes 1, 3, 5; in the backlog: 2, 4 (interleaved in time).
    const indexed = await add([1, 3, 5]);
    await indexRunSearch(tdb.pool);
    const backlog = await add([2, 4]);
    const newestFirst = [indexed[2], backlog[1], indexed[1], backlog[0], indexed[0]];

    const seen: string[] = [];
    let page = await runHistory(tdb.db, { text: 'split-' }, 2);
    while (page.length > 0) {
      seen.push(...page.map((r) => r.id));
      page = await runHistory(tdb.db, { text: 'split-' }, 2, page.at(-1)!.cursor);
    }
    expect(seen).toEqual(newestFirst);
    expect(await runHistoryIds(tdb.db, { text: 'SPLIT' }, 3)).toEqual(newestFirst.slice(0, 3));
  });

  it('moves the backlog on its own as a singleton, vacuums it, and stops when asked', async () => {
    await indexRunSearch(tdb.pool);
    await addRuns(['umbrella-1']);
    expect((await counts()).backlog).toBe(1);
    // A long period: the move seen here is the one made at start, not a later tick.
    const stop = await runSearchIndexSingleton({ pool: tdb.pool, logger: silentLogger, everyMs: 3_600_000 }).start();
    await stop();
    expect((await counts()).backlog).toBe(0);
    expect(await found('umbrella')).toHaveLength(1);
    // Its first move is followed by a vacuum: the emptied backlog gives its pages back.
    const { rows } = await tdb.pool.query<{ bytes: string }>("select pg_relation_size('khaosflow.run_search_backlog') as bytes");
    expect(Number(rows[0]!.bytes)).toBe(0);
  });
});
