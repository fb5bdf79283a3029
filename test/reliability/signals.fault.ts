// SIGTERM, then a second signal, to a `khaosflow worker` with runs in flight. The first
// SIGTERM drains: runs that can finish do, the others are handed back with their
// checkpoints, and the process exits 0. A second signal exits at once. Either way no
// accepted run is lost or failed: another worker resumes what was handed back or
// left behind.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { runKhaosflow, spawnKhaosflow, stopAll, tempHome, until } from '../helpers/processes.js';
import { repeatedSteps, statusesOf, waitUntilFinished } from '../helpers/webhook-load.js';

/**
 * The outside system the runs call: a run's first call is answered after `ms` (or
 * never, for ms=hang, until the caller gives up); any later call at once.
 */
function startSlowService() {
  const firstCalls = new Set<string>();
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const run = url.searchParams.get('run')!;
    calls.push(run);
    const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, run }));
    if (firstCalls.has(run)) return answer();
    firstCalls.add(run);
    const ms = url.searchParams.get('ms');
    if (ms === 'hang') return;
    const timer = setTimeout(answer, Number(ms));
    res.once('close', () => clearTimeout(timer));
  });
  return {
    server,
    calls,
    listen: () => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const slow = startSlowService();
let tdb: TestDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  const port = await slow.listen();
  tdb = await createTestDatabase({ max: 4 });
  const home = tempHome();
  fs.writeFileSync(
    path.join(home, 'slow.yaml'),
    `
name: Slow Partner
trigger: { type: manual }
steps:
  - name: Prepare
    action: { type: transform, operation: map, input: "{{[trigger.data]}}", transform: "{ 'ms': ms }" }
  - name: Call Partner
    action: { type: http_request, method: GET, url: "http://127.0.0.1:${port}/slow?run={{run.id}}&ms={{trigger.data.ms}}" }
  - name: Done
    action: { type: log, message: "partner answered for {{run.id}}" }
`,
  );
  env = { DATABASE_URL: tdb.url, KHAOSFLOW_HOME: home, KHAOSFLOW_CONCURRENCY: '8' };
  runKhaosflow(['workflows', 'apply', path.join(home, 'slow.yaml')], env);
});
afterAll(async () => {
  await stopAll();
  await slow.close();
  await tdb?.drop();
});

/** Starts runs through SQL (the public start_run), so only the worker under test takes them. */
async function startRuns(ms: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { rows } = await tdb.pool.query<{ id: string }>("select khaosflow.start_run('slow-partner', $1::jsonb) as id", [
      JSON.stringify({ ms }),
    ]);
    ids.push(rows[0]!.id);
  }
  return ids;
}

const callsFor = (ids: string[]) => slow.calls.filter((c) => ids.includes(c)).length;

describe('stopping a worker with signals', () => {
  it('drains on SIGTERM (runs finish or are handed back), exits at once on a second signal, and loses no run', async () => {
    // 1. One SIGTERM: two runs finish during the drain, two are handed back.
    const first = await spawnKhaosflow('worker-a', ['worker'], env);
    const quick = await startRuns('2000', 2);
    const stuck = await startRuns('hang', 2);
    await until('the worker to call the partner for all four runs', async () => callsFor([...quick, ...stuck]) === 4, 60_000);
    const termAt = Date.now();
    first.signal('SIGTERM');
    expect(await first.exited).toBe(0);
    const drainMs = Date.now() - termAt;
    expect(await statusesOf(tdb.pool, quick)).toEqual({ succeeded: 2 });
    // Handed back, not failed: queued again with their checkpoint (Prepare) kept.
    expect(await statusesOf(tdb.pool, stuck)).toEqual({ queued: 2 });

    // 2. Another worker resumes them; then SIGTERM twice while it is busy with two more.
    const second = await spawnKhaosflow('worker-b', ['worker'], env);
    expect(await waitUntilFinished(tdb.pool, stuck, 60_000)).toEqual({ succeeded: 2 });
    const abandoned = await startRuns('hang', 2);
    await until('the second worker to call the partner for both runs', async () => callsFor(abandoned) === 2, 60_000);
    second.signal('SIGTERM');
    await until('the worker to begin its shutdown', async () => /"msg":"shutting down"/.test(second.output()), 10_000);
    const secondSignalAt = Date.now();
    second.signal('SIGTERM');
    expect(await second.exited).toBe(130);
    const exitMs = Date.now() - secondSignalAt;
    // "At once": well inside the 10 s a drain would take.
    expect(exitMs).toBeLessThan(5_000);

    // 3. Nothing accepted is lost: a third worker takes over once the second one's heartbeat is stale.
    await spawnKhaosflow('worker-c', ['worker'], env);
    expect(await waitUntilFinished(tdb.pool, abandoned, 90_000)).toEqual({ succeeded: 2 });
    const all = [...quick, ...stuck, ...abandoned];
    expect(await repeatedSteps(tdb.pool, all)).toEqual([]);
    // The checkpointed first step was not run again on resumption.
    const { rows } = await tdb.pool.query<{ n: number }>(
      "select count(*)::int as n from khaosflow.step_runs where run_id = any($1::uuid[]) and step_name = 'Prepare' and status = 'succeeded'",
      [all],
    );
    expect(rows[0]!.n).toBe(all.length);

    console.log(
      `signals: survived a SIGTERM (drained in ${(drainMs / 1000).toFixed(1)} s: 2 runs finished, 2 handed back and resumed elsewhere) ` +
        `and a second SIGTERM (exit 130 after ${exitMs} ms; its 2 runs resumed by another worker); all ${all.length} runs succeeded`,
    );
  });
});
