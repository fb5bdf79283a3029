// A database trigger on KhaosFlow's own database (no connection named), and the
// listener moving to another process when the one running it stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { applyYaml, waitForRunCount } from './helpers.js';

let tdb: TestDatabase;
const nodes: TestNode[] = [];
beforeAll(async () => {
  tdb = await createTestDatabase();
  await tdb.pool.query('create table public.signups (id serial primary key, email text not null, plan text)');
});
afterAll(async () => {
  for (const node of nodes) await node.stop();
  await tdb?.drop();
});

const startKhaosFlow = async () => {
  const node = await startTestNode({ databaseUrl: tdb.url, http: false, worker: false, singletons: true });
  nodes.push(node);
  return node;
};

describe("database trigger on KhaosFlow's own database", () => {
  it('captures updates with old and new rows, and keeps working when its process stops and another takes over', async () => {
    const first = await startKhaosFlow();
    await applyYaml(
      tdb.db,
      `
name: Plan Changes
trigger: { type: database, table: signups, event: [UPDATE, DELETE], filter: "plan is not null" }
`,
    );
    await expect
      .poll(async () => (await tdb.db.selectFrom('khaosflow.db_trigger_installs').select('status').executeTakeFirst())?.status, {
        timeout: 20_000,
      })
      .toBe('installed');
    await tdb.pool.query("insert into signups (email, plan) select 'u' || g || '@example.com', null from generate_series(1, 50) g");
    await tdb.pool.query("update signups set plan = 'pro' where id <= 20");
    await tdb.pool.query('delete from signups where id <= 5');
    const runs = await waitForRunCount(tdb.db, 'plan-changes', 25);
    expect(runs.filter((r) => r.trigger_data.event === 'UPDATE')).toHaveLength(20);
    expect(runs.find((r) => r.trigger_data.event === 'UPDATE')!.trigger_data).toMatchObject({
      data: { plan: 'pro' },
      old: { plan: null },
      connection: null,
    });
    expect(runs.filter((r) => r.trigger_data.event === 'DELETE').map((r) => r.trigger_data)).toContainEqual(
      expect.objectContaining({ data: expect.objectContaining({ id: 1, plan: 'pro' }), old: expect.objectContaining({ id: 1 }) }),
    );

    // The second process waits for the singleton lock; stopping the first hands it over.
    await startKhaosFlow();
    await first.stop();
    nodes.splice(nodes.indexOf(first), 1);
    await tdb.pool.query("update signups set plan = 'team' where id > 40");
    const after = await waitForRunCount(tdb.db, 'plan-changes', 35);
    expect(after).toHaveLength(35);
    expect(new Set(after.map((r) => r.dedupe_key)).size).toBe(35);
  });
});
