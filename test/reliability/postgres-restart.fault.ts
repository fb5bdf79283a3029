// The database crashes under webhook load: `pg_ctl restart -m immediate` of a cluster
// this test owns, then an outage held open for a few seconds (stop -m immediate, start
// again). Every run answered 202 must finish; while the database is away a webhook is
// answered quickly with 503 and Retry-After, never left hanging; the LISTEN listeners
// (workflow changes) and the database-trigger drain work again afterwards.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOwnCluster, type OwnCluster } from '../helpers/own-cluster.js';
import { runKhaosflow, spawnKhaosflow, stopAll, tempHome, until } from '../helpers/processes.js';
import { acceptedRunIds, failedRuns, repeatedSteps, sendWebhooks, waitUntilFinished } from '../helpers/webhook-load.js';
import { threeSteps } from '../../bench/http/workflows.js';

/** An answer slower than this during the outage counts as a hang. */
const ANSWER_WITHIN_MS = 5_000;
const OUTAGE_MS = 4_000;

let cluster: OwnCluster;
let pool: pg.Pool;
let env: Record<string, string>;
let home: string;
beforeAll(async () => {
  cluster = await startOwnCluster();
  pool = new pg.Pool({ connectionString: cluster.url, max: 3 });
  // The test's own connections die with the database too; pg reports that on idle clients.
  pool.on('error', () => undefined);
  await pool.query('create table public.signups (id serial primary key, email text not null)');
  home = tempHome();
  const dir = path.join(home, 'workflows');
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, 'orders.yaml'),
    `
name: Orders Through Outage
trigger: { type: webhook, path: /rel/orders }
${threeSteps}`,
  );
  fs.writeFileSync(
    path.join(dir, 'signups.yaml'),
    `name: New Signup\ntrigger: { type: database, table: signups, event: INSERT }\nsteps:\n  - name: Note\n    action: { type: log, message: "{{trigger.data.email}}" }\n`,
  );
  env = { DATABASE_URL: cluster.url, KHAOSFLOW_HOME: home, KHAOSFLOW_CONCURRENCY: '8' };
  runKhaosflow(['workflows', 'apply', dir], env);
});
afterAll(async () => {
  await stopAll();
  await pool?.end().catch(() => undefined);
  await cluster?.destroy();
});

async function signupRuns(): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    "select count(*)::int as n from khaosflow.runs r join khaosflow.workflows w on w.id = r.workflow_id where w.slug = 'new-signup'",
  );
  return rows[0]!.n;
}

describe('Postgres crashing under webhook load', () => {
  it('finishes every accepted run, answers 503 with Retry-After while down, and its listeners recover', async () => {
    const web = await spawnKhaosflow('web', ['start'], env);
    await spawnKhaosflow('worker', ['worker'], env);
    await until(
      'the database trigger to be installed',
      async () => (await pool.query("select 1 from khaosflow.db_trigger_installs where status = 'installed'")).rowCount === 1,
      30_000,
    );
    await pool.query("insert into signups (email) values ('before@example.com')");
    await until('the database trigger to start a run', async () => (await signupRuns()) === 1, 30_000);

    let loading = true;
    const load = sendWebhooks({
      url: `http://127.0.0.1:${web.port}/hooks/rel/orders`,
      concurrency: 8,
      stop: () => !loading,
      body: (i) => ({ id: i, items: [{ sku: 'a', price: i % 7, qty: 20 }] }),
      // Far above ANSWER_WITHIN_MS: a hang shows up as a slow answer, not as this timeout.
      timeoutMs: 30_000,
    });
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await pause(2_000); // load schedule, not synchronisation
    await cluster.restartImmediate();
    await pause(2_000);
    await cluster.stopImmediate();
    await pause(OUTAGE_MS);
    await cluster.start();
    await pause(3_000);
    loading = false;
    const answers = await load;

    const byStatus: Record<number, number> = {};
    for (const a of answers) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
    const slowest = Math.max(...answers.map((a) => a.ms));
    // Only two answers are right: accepted (on disk) or "try again later" with a hint when.
    expect(answers.filter((a) => a.status !== 202 && a.status !== 503).slice(0, 3)).toEqual([]);
    expect(byStatus[503]).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 503 && !a.retryAfter)).toEqual([]);
    expect(answers.filter((a) => a.ms > ANSWER_WITHIN_MS).length).toBe(0);

    const runIds = acceptedRunIds(answers);
    const counts = await waitUntilFinished(pool, runIds, 60_000).catch(async (err) => {
      const { rows } = await pool.query(
        `select locked_by is not null as locked, attempts, (run_at > now()) as future, last_error is not null as errored, max(run_at) - now() as until, count(*)
           from graphile_worker.jobs group by 1,2,3,4`,
      );
      console.log(
        'graphile jobs at the deadline (locked, attempts, future, errored, until, count) and heartbeats:',
        JSON.stringify(rows),
        JSON.stringify((await pool.query('select * from khaosflow.workers')).rows),
      );
      throw err;
    });
    expect(await failedRuns(pool, runIds)).toEqual([]);
    expect(counts).toEqual({ succeeded: runIds.length });
    expect(await repeatedSteps(pool, runIds)).toEqual([]);

    // The database-trigger drain and its listener came back.
    await pool.query("insert into signups (email) values ('after@example.com')");
    await until('the database trigger to start a run after the restart', async () => (await signupRuns()) === 2, 30_000);
    // The workflow-change listener came back: a workflow applied now is served by the running web process.
    fs.writeFileSync(
      path.join(home, 'late.yaml'),
      'name: Late Hook\ntrigger: { type: webhook, path: /rel/late }\nsteps:\n  - name: Note\n    action: { type: log, message: "late" }\n',
    );
    runKhaosflow(['workflows', 'apply', path.join(home, 'late.yaml')], env);
    await until(
      'the web process to serve the workflow applied after the restart',
      async () => (await fetch(`http://127.0.0.1:${web.port}/hooks/rel/late`, { method: 'POST' })).status === 202,
      30_000,
    );

    console.log(
      `postgres-restart: survived pg_ctl restart -m immediate and a ${OUTAGE_MS / 1000} s outage under load: ` +
        `${byStatus[202]} webhooks accepted (all succeeded), ${byStatus[503] ?? 0} answered 503 with Retry-After, ` +
        `slowest answer ${Math.round(slowest)} ms; database trigger and workflow-change listener recovered`,
    );
  });
});
