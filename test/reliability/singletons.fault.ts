// Three `khaosflow start` processes; the one holding the cluster singletons (scheduler,
// database triggers, file watchers) is SIGKILLed. Another takes each of them over
// within 30 s, the schedule keeps ticking exactly once per tick (no tick lost, none
// run twice), and a database row and a file arriving after the kill still start runs.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { logLines, runKhaosflow, spawnKhaosflow, stopAll, tempHome, until, type KhaosflowProcess } from '../helpers/processes.js';

const SINGLETONS = ['scheduler', 'database-triggers', 'file-watchers'];
const TICK_MS = 2_000;

let tdb: TestDatabase;
let env: Record<string, string>;
let inbox: string;
beforeAll(async () => {
  tdb = await createTestDatabase({ max: 4 });
  await tdb.pool.query('create table public.signups (id serial primary key, email text not null)');
  const home = tempHome();
  inbox = path.join(home, 'inbox');
  fs.mkdirSync(inbox);
  const dir = path.join(home, 'workflows');
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, 'tick.yaml'),
    `name: Every Two Seconds\ntrigger: { type: schedule, cron: "*/2 * * * * *", catch_up: all }\nsteps:\n  - name: Note\n    action: { type: log, message: "tick" }\n`,
  );
  fs.writeFileSync(
    path.join(dir, 'signups.yaml'),
    `name: New Signup\ntrigger: { type: database, table: signups, event: INSERT }\nsteps:\n  - name: Note\n    action: { type: log, message: "{{trigger.data.email}}" }\n`,
  );
  fs.writeFileSync(
    path.join(dir, 'inbox.yaml'),
    `name: Csv Inbox\ntrigger: { type: file_watcher, path: "${inbox}", pattern: "*.csv", event: created, debounce: 200ms }\nsteps:\n  - name: Note\n    action: { type: log, message: "{{trigger.data.name}}" }\n`,
  );
  env = { DATABASE_URL: tdb.url, KHAOSFLOW_HOME: home, KHAOSFLOW_CONCURRENCY: '4', KHAOSFLOW_FILE_ROOTS: home };
  runKhaosflow(['workflows', 'apply', dir], env);
});
afterAll(async () => {
  await stopAll();
  await tdb?.drop();
});

/** The process that last logged taking `singleton`, among those still alive. */
function holderOf(procs: KhaosflowProcess[], singleton: string): KhaosflowProcess | undefined {
  return procs.find(
    (p) =>
      p.child.exitCode === null && p.child.signalCode === null && logLines(p, /^singleton started/).some((l) => l.singleton === singleton),
  );
}

async function runCount(slug: string): Promise<number> {
  const { rows } = await tdb.pool.query<{ n: number }>(
    'select count(*)::int as n from khaosflow.runs r join khaosflow.workflows w on w.id = r.workflow_id where w.slug = $1',
    [slug],
  );
  return rows[0]!.n;
}

describe('three start processes', () => {
  it('fail the scheduler and trigger singletons over within 30 s when their holder is killed', async () => {
    const procs = await Promise.all(['web-1', 'web-2', 'web-3'].map((name) => spawnKhaosflow(name, ['start'], env)));
    await until('every singleton to be held', async () => SINGLETONS.every((s) => holderOf(procs, s)), 60_000);
    // The triggers work before the kill (and the database trigger is installed).
    await until('a few schedule ticks', async () => (await runCount('every-two-seconds')) >= 3, 30_000);
    await tdb.pool.query("insert into signups (email) values ('before@example.com')");
    fs.writeFileSync(path.join(inbox, 'before.csv'), 'id\n1\n');
    await until(
      'the database and file triggers to start runs',
      async () => (await runCount('new-signup')) === 1 && (await runCount('csv-inbox')) === 1,
      30_000,
    );

    // The singletons may be spread over the processes: kill the holder of each one not
    // yet seen failing over (restarting a process in its place, as a supervisor would)
    // until every singleton has moved to a survivor at least once.
    const failoverMs: Record<string, number> = {};
    const killed: string[] = [];
    let generation = 1;
    for (const singleton of SINGLETONS) {
      if (failoverMs[singleton]) continue;
      const victim = holderOf(procs, singleton)!;
      const held = SINGLETONS.filter((s) => holderOf([victim], s));
      const killedAt = Date.now();
      victim.signal('SIGKILL');
      await victim.exited;
      killed.push(victim.name);
      const survivors = procs.filter((p) => p !== victim);
      await until(
        `${held.join(', ')} (held by the killed ${victim.name}) to be taken over by another process`,
        async () => {
          for (const s of held) if (!failoverMs[s] && holderOf(survivors, s)) failoverMs[s] = Date.now() - killedAt;
          return held.every((s) => failoverMs[s]);
        },
        30_000,
        100,
      );
      procs.splice(procs.indexOf(victim), 1, await spawnKhaosflow(`${victim.name}.${++generation}`, ['start'], env));
    }

    // After the takeover: rows and files still start runs, ticks go on.
    await tdb.pool.query("insert into signups (email) values ('after@example.com')");
    fs.writeFileSync(path.join(inbox, 'after.csv'), 'id\n2\n');
    await until(
      'the database and file triggers to work again',
      async () => (await runCount('new-signup')) === 2 && (await runCount('csv-inbox')) === 2,
      30_000,
    );
    const ticksAtTakeover = await runCount('every-two-seconds');
    await until('more schedule ticks', async () => (await runCount('every-two-seconds')) >= ticksAtTakeover + 3, 30_000);

    // Exactly once per tick: one run per scheduled time, and no scheduled time missing in between.
    const { rows } = await tdb.pool.query<{ at: string; n: number }>(
      `select r.trigger_data -> 'data' ->> 'scheduled_at' as at, count(*)::int as n
         from khaosflow.runs r join khaosflow.workflows w on w.id = r.workflow_id
        where w.slug = 'every-two-seconds' group by 1 order by 1`,
    );
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    const times = rows.map((r) => Date.parse(r.at));
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.filter((g) => g !== TICK_MS)).toEqual([]);
    expect(await runCount('new-signup')).toBe(2);
    expect(await runCount('csv-inbox')).toBe(2);

    console.log(
      `singletons: survived SIGKILL of the singleton holders (${killed.join(', ')}); taken over in ` +
        `${SINGLETONS.map((s) => `${s} ${(failoverMs[s]! / 1000).toFixed(1)} s`).join(', ')}; ` +
        `${rows.length} schedule ticks each ran once with none missing; database and file triggers kept starting runs`,
    );
  });
});
