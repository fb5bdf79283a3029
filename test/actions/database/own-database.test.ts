// A database step without a connection (issue 18, finding 7) runs on KhaosFlow's own
// database as a restricted role: it can use the public schema, as the spec's order
// example does, but cannot read or change KhaosFlow's tables or the queue, and cannot
// get KhaosFlow's rights back with RESET ROLE.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabasePools } from '../../../server/connectors/database-pools.js';
import { startBench, stepsByName, type Bench } from '../../helpers/engine.js';

let bench: Bench;
beforeAll(async () => {
  bench = await startBench();
  await bench.tdb.pool.query('create table public.notes (id serial primary key, body text)');
});
afterAll(async () => {
  await bench?.stop();
  await closeDatabasePools();
});

async function query(sql: string) {
  const { slug } = await bench.apply(`
name: Own ${randomBytes(4).toString('hex')}
trigger: { type: manual }
steps:
  - name: Query
    action:
      type: database_query
      query: ${JSON.stringify(sql)}
`);
  const run = await bench.waitFor(await bench.start(slug));
  const step = stepsByName(run).Query!;
  return { status: run.status, output: step.output, error: (step.error as { message?: string } | null)?.message ?? '' };
}

describe('a database step without a connection', () => {
  it('uses the public schema of KhaosFlow database, as a role other than KhaosFlow', async () => {
    const inserted = await query("insert into public.notes (body) values ('hello') returning body, current_user as who");
    expect(inserted.error).toBe('');
    expect(inserted.output).toMatchObject({ rows: [{ body: 'hello', who: expect.stringMatching(/^khaosflow_steps_/) }] });
  });

  it("cannot read KhaosFlow's users, change its workflow versions or see the queue", async () => {
    for (const sql of [
      'select email, password_hash from khaosflow.users',
      "update khaosflow.workflow_versions set source = 'owned'",
      'select * from graphile_worker.jobs',
      'select * from khaosflow.step_role',
    ]) {
      const result = await query(sql);
      expect(result.status, sql).toBe('failed');
      expect(result.error, sql).toMatch(/permission denied/);
    }
  });

  it('cannot take KhaosFlow rights back with RESET ROLE or SET ROLE', async () => {
    const reset = await query('reset role; select count(*) from khaosflow.users');
    expect(reset.error).toMatch(/permission denied/);
    const owner = (await bench.tdb.pool.query<{ u: string }>('select current_user as u')).rows[0]!.u;
    const set = await query(`set role ${owner}; select 1`);
    expect(set.error).toMatch(/permission denied/);
  });
});
