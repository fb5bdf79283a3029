// SIGKILL a worker every few seconds while three `khaosflow worker` processes (and the
// `khaosflow start` that accepts the webhooks) process 10,000 webhook runs. Every run
// answered 202 must succeed, no completed step may run twice, and no Graphile job may
// stay locked by a dead worker at the end.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { runKhaosflow, spawnKhaosflow, stopAll, tempHome, type KhaosflowProcess } from '../helpers/processes.js';
import { acceptedRunIds, failedRuns, lockedJobs, repeatedSteps, sendWebhooks, waitUntilFinished } from '../helpers/webhook-load.js';
import { threeSteps } from '../../bench/http/workflows.js';

const RUNS = Number(process.env.RELIABILITY_RUNS ?? 10_000);
const KILL_EVERY_MS = 3_000;

// webhook -> map -> condition -> log, the shape the issue names.
const WORKFLOW = `
name: Orders Under Fire
trigger: { type: webhook, path: /rel/orders }
${threeSteps}`;

let tdb: TestDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  tdb = await createTestDatabase({ max: 4 });
  const home = tempHome();
  fs.writeFileSync(path.join(home, 'orders.yaml'), WORKFLOW);
  // Four processes on one shared Postgres: small pools keep them inside max_connections.
  env = { DATABASE_URL: tdb.url, KHAOSFLOW_HOME: home, KHAOSFLOW_CONCURRENCY: '8' };
  runKhaosflow(['workflows', 'apply', path.join(home, 'orders.yaml')], env);
});
afterAll(async () => {
  await stopAll();
  await tdb?.drop();
});

/** Runs whose job the worker process `pid` holds (its Graphile pool ids are in its heartbeat row). */
async function jobsHeldBy(pid: number): Promise<number> {
  const { rows } = await tdb.pool.query<{ n: number }>(
    `select count(*)::int as n from graphile_worker.jobs j
       join khaosflow.workers w on j.locked_by = any(w.graphile_worker_ids)
      where w.pid = $1`,
    [pid],
  );
  return rows[0]!.n;
}

describe('workers killed under webhook load', () => {
  it(`finishes every accepted run of ${RUNS} while a worker is SIGKILLed every ${KILL_EVERY_MS / 1000} s`, async () => {
    // `start` runs a worker too; a small one, so the killed workers hold most of the runs.
    const web = await spawnKhaosflow('web', ['start'], { ...env, KHAOSFLOW_CONCURRENCY: '2' });
    const workers: (KhaosflowProcess | undefined)[] = await Promise.all(
      [0, 1, 2].map((i) => spawnKhaosflow(`worker-${i}`, ['worker'], env)),
    );

    let sending = true;
    let kills = 0;
    let heldByKilled = 0;
    const restarts: Promise<void>[] = [];
    const unexpectedExits: string[] = [];
    // The kill schedule: every few seconds one live worker, round robin; its
    // replacement starts in the background while the schedule goes on.
    const killer = (async () => {
      let victim = 0;
      while (sending) {
        await new Promise((r) => setTimeout(r, KILL_EVERY_MS));
        if (!sending) break;
        const target = workers[victim];
        victim = (victim + 1) % workers.length;
        if (!target) continue; // its replacement is still starting
        if (target.child.exitCode !== null) unexpectedExits.push(`${target.name}: ${target.output().slice(-2000)}`);
        heldByKilled += await jobsHeldBy(target.child.pid!);
        target.signal('SIGKILL');
        await target.exited;
        kills++;
        const slot = workers.indexOf(target);
        workers[slot] = undefined;
        restarts.push(
          spawnKhaosflow(target.name, ['worker'], env).then((p) => {
            workers[slot] = p;
          }),
        );
      }
    })();

    const answers = await sendWebhooks({
      url: `http://127.0.0.1:${web.port}/hooks/rel/orders`,
      total: RUNS,
      concurrency: 16,
      body: (i) => ({ id: i, items: [{ sku: 'a', price: i % 7, qty: 20 }] }),
    });
    sending = false;
    await killer;
    await Promise.all(restarts);

    const runIds = acceptedRunIds(answers);
    const refused = answers.filter((a) => a.status !== 202);
    // The web process was never killed: every webhook must have been accepted.
    expect(refused.slice(0, 3)).toEqual([]);
    expect(runIds).toHaveLength(RUNS);

    // A killed worker's jobs come back once its heartbeat is stale (20 s) plus one tick.
    const counts = await waitUntilFinished(tdb.pool, runIds, 150_000);
    expect(await failedRuns(tdb.pool, runIds)).toEqual([]);
    expect(counts).toEqual({ succeeded: RUNS });
    expect(await repeatedSteps(tdb.pool, runIds)).toEqual([]);
    // A worker killed after finishing a run but before Graphile recorded the job done
    // leaves that job locked until its heartbeat goes stale; it must then be released
    // (and completes at once, its run being finished).
    await expect.poll(() => lockedJobs(tdb.pool), { timeout: 60_000, interval: 1_000 }).toEqual([]);
    expect(unexpectedExits).toEqual([]);
    expect(kills).toBeGreaterThan(0);

    console.log(
      `worker-kills: survived ${kills} SIGKILLs of workers during ${RUNS} webhook runs: all ${runIds.length} accepted runs succeeded ` +
        `(${heldByKilled} were held by a worker when it was killed), no step repeated, no job left locked`,
    );
    // 10,000 runs took 150-240 s here with four other test suites sharing the 2 cores; the
    // bound is for a hang, not a speed check.
  }, 480_000);
});
