// Schedule triggers with the clock in the test's hands: two schedulers on one
// database start one run per tick, and ticks missed while no scheduler ran are caught
// up as each workflow's catch_up says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../db/client.js';
import { createLogger } from '../../server/logger.js';
import { createScheduler, type Scheduler } from '../../server/triggers/schedule/scheduler.js';
import type { WorkflowChangeFeed } from '../../server/triggers/workflow-changes.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { applyYaml, runsOf } from './helpers.js';
import { ManualClock } from './manual-clock.js';

let tdb: TestDatabase;
const handles: DbHandle[] = [];
const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
/** Schedules are applied before the schedulers start, so no change feed is needed. */
const quietFeed: WorkflowChangeFeed = { subscribe: () => () => undefined, close: async () => undefined };

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  for (const h of handles) await h.close();
  await tdb?.drop();
});

const MINUTE = 60_000;

function schedulerOn(clock: ManualClock): Scheduler {
  const handle = createDb(tdb.url, { max: 2 });
  handles.push(handle);
  return createScheduler({ db: handle.db, logger, feed: quietFeed, clock, graceMs: 10_000 });
}

async function ticksOf(slug: string): Promise<string[]> {
  return (await runsOf(tdb.db, slug)).map((r) => (r.trigger_data as { data: { scheduled_at: string } }).data.scheduled_at).sort();
}

describe('schedule trigger', () => {
  it('runs each tick once with two schedulers, then catches up missed ticks per catch_up policy', async () => {
    for (const policy of ['latest', 'all', 'none']) {
      await applyYaml(tdb.db, `name: Every Minute ${policy}\ntrigger: { type: schedule, cron: "* * * * *", catch_up: ${policy} }\n`);
    }
    const slugs = { latest: 'every-minute-latest', all: 'every-minute-all', none: 'every-minute-none' };
    // The first minute boundary after the workflows were applied: ticks before it are not "missed".
    const m0 = Math.ceil((Date.now() + 1) / MINUTE) * MINUTE;
    const at = (ms: number) => new Date(m0 + ms);
    const clock = new ManualClock(at(-5_000));

    const first = [schedulerOn(clock), schedulerOn(clock)];
    await Promise.all(first.map((s) => s.start()));
    for (const slug of Object.values(slugs)) expect(await runsOf(tdb.db, slug)).toHaveLength(0);

    for (const minute of [0, 1, 2]) {
      clock.set(at(minute * MINUTE));
      await Promise.all(first.map((s) => s.idle()));
    }
    const expected = [0, 1, 2].map((m) => at(m * MINUTE).toISOString());
    for (const slug of Object.values(slugs)) {
      expect(await ticksOf(slug)).toEqual(expected);
      expect(new Set((await runsOf(tdb.db, slug)).map((r) => r.dedupe_key)).size).toBe(3);
      expect((await runsOf(tdb.db, slug)).every((r) => r.trigger_kind === 'schedule')).toBe(true);
    }

    // Down for a while: minutes 3, 4, 5 and 6 pass without a scheduler.
    await Promise.all(first.map((s) => s.stop()));
    clock.set(at(6 * MINUTE + 30_000));
    const second = [schedulerOn(clock), schedulerOn(clock)];
    await Promise.all(second.map((s) => s.start()));
    await Promise.all(second.map((s) => s.idle()));

    expect(await ticksOf(slugs.latest)).toEqual([...expected, at(6 * MINUTE).toISOString()]);
    expect(await ticksOf(slugs.all)).toEqual([...expected, ...[3, 4, 5, 6].map((m) => at(m * MINUTE).toISOString())]);
    expect(await ticksOf(slugs.none)).toEqual(expected);

    // Back on schedule: every policy runs the next tick.
    clock.set(at(7 * MINUTE));
    await Promise.all(second.map((s) => s.idle()));
    expect((await ticksOf(slugs.latest)).at(-1)).toBe(at(7 * MINUTE).toISOString());
    expect(await ticksOf(slugs.all)).toHaveLength(8);
    expect(await ticksOf(slugs.none)).toEqual([...expected, at(7 * MINUTE).toISOString()]);
    await Promise.all(second.map((s) => s.stop()));
  });

  it('bounds catch_up: all to the latest 100 missed ticks', async () => {
    const { slug } = await applyYaml(tdb.db, 'name: Every Second\ntrigger: { type: schedule, cron: "* * * * * *", catch_up: all }\n');
    const start = Math.ceil((Date.now() + 1) / 1000) * 1000;
    const clock = new ManualClock(new Date(start + 500 * 1000));
    const scheduler = schedulerOn(clock);
    await scheduler.start();
    await scheduler.idle();
    const ticks = await ticksOf(slug);
    expect(ticks).toHaveLength(100);
    expect(ticks.at(-1)).toBe(new Date(start + 500 * 1000).toISOString());
    await scheduler.stop();
  });
});
