import os from 'node:os';
// DELETE /api/workflows/<slug>: the webhook, schedule, database trigger and file
// watcher stop at once, the workflow is gone from the API, its runs stay readable, and
// the slug can be reused.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { createLogger } from '../../server/logger.js';
import { createScheduler } from '../../server/triggers/schedule/scheduler.js';
import { workflowChangeFeed } from '../../server/triggers/workflow-changes.js';
import { adminQuery, createTestDatabase, databaseUrl, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { tempDir, waitForRunCount } from '../triggers/helpers.js';
import { ManualClock } from '../triggers/manual-clock.js';

let tdb: TestDatabase;
let node: TestNode;
let key: string;
let shopName: string;
let shop: pg.Pool;

beforeAll(async () => {
  tdb = await createTestDatabase();
  shopName = `${tdb.name}_del`;
  await adminQuery(`create database ${shopName}`);
  shop = new pg.Pool({ connectionString: databaseUrl(shopName), max: 2 });
  await shop.query('create table orders (id serial primary key, status text)');
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: true,
    singletons: true,
    // The watched folder is made under the OS temp folder, which is no default file root.
    env: {
      KHAOSFLOW_HOME: tempDir('kf-delete-'),
      KHAOSFLOW_CONNECTION_DEL_SHOP: databaseUrl(shopName),
      KHAOSFLOW_FILE_ROOTS: os.tmpdir(),
    },
  });
  key = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
});
afterAll(async () => {
  await node?.stop();
  await shop?.end();
  await adminQuery(`drop database if exists ${shopName} with (force)`);
  await tdb?.drop();
});

const api = (method: string, path: string, body?: string) =>
  fetch(`${node.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/yaml' },
    ...(body === undefined ? {} : { body }),
  });

const HOOK = `name: Shop Hook
trigger: { type: webhook, path: /shop/orders }
steps:
  - name: Note
    action: { type: log, message: "order {{trigger.data.id}}" }
`;
const ROWS = `name: Shop Rows
trigger: { type: database, connection: del_shop, table: orders, event: INSERT }
steps:
  - name: Note
    action: { type: log, message: "row" }
`;

describe('deleting a workflow', () => {
  it('stops its webhook and database trigger at once and keeps its runs readable', async () => {
    expect((await api('POST', '/api/workflows', HOOK)).status).toBe(201);
    expect((await api('POST', '/api/workflows', ROWS)).status).toBe(201);
    await expect
      .poll(async () => (await fetch(`${node.baseUrl}/hooks/shop/orders`, { method: 'POST', body: '{}' })).status, { timeout: 10_000 })
      .toBe(202);
    const accepted = await fetch(`${node.baseUrl}/hooks/shop/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"id": 7}',
    });
    const { run_id } = (await accepted.json()) as { run_id: string };
    await expect
      .poll(async () => (await tdb.db.selectFrom('khaosflow.db_trigger_installs').select('status').executeTakeFirst())?.status, {
        timeout: 20_000,
      })
      .toBe('installed');

    expect((await api('DELETE', '/api/workflows/shop-hook')).status).toBe(204);
    expect((await api('DELETE', '/api/workflows/shop-rows')).status).toBe(204);
    expect((await api('DELETE', '/api/workflows/shop-rows')).status).toBe(404);
    await expect
      .poll(async () => (await fetch(`${node.baseUrl}/hooks/shop/orders`, { method: 'POST', body: '{}' })).status, { timeout: 10_000 })
      .toBe(404);
    await expect
      .poll(async () => (await shop.query("select count(*)::int as n from pg_trigger where tgname like 'khaosflow_%'")).rows[0].n, {
        timeout: 20_000,
      })
      .toBe(0);
    expect((await api('GET', '/api/workflows/shop-hook')).status).toBe(404);
    const list = (await (await api('GET', '/api/workflows')).json()) as { workflows: { slug: string }[] };
    expect(list.workflows).toEqual([]);

    const run = await api('GET', `/api/runs/${run_id}`);
    expect(run.status).toBe(200);
    // The slug is free again.
    expect((await api('POST', '/api/workflows', HOOK)).status).toBe(201);
  });

  it('stops its schedule: a tick after the delete starts no run', async () => {
    // Once a year, so the node's own scheduler (wall clock) never ticks during the test;
    // this scheduler's clock is moved by hand and hears deletes on the real change feed.
    const YEARLY =
      'name: New Year\ntrigger: { type: schedule, cron: "0 0 1 1 *", timezone: UTC }\nsteps:\n  - name: Note\n    action: { type: log, message: tick }\n';
    expect((await api('POST', '/api/workflows', YEARLY)).status).toBe(201);
    const year = new Date().getUTCFullYear();
    const tick = (y: number) => new Date(Date.UTC(y, 0, 1));
    const clock = new ManualClock(new Date());
    const feed = workflowChangeFeed({ pool: tdb.pool, logger: createLogger({ level: 'silent' }) });
    const scheduler = createScheduler({ db: tdb.db, logger: createLogger({ level: 'silent' }), feed, clock });
    try {
      await scheduler.start();
      clock.set(tick(year + 1));
      await scheduler.idle();
      const { id } = await tdb.db.selectFrom('khaosflow.workflows').select('id').where('slug', '=', 'new-year').executeTakeFirstOrThrow();
      // Counted by id: a deleted workflow's slug is freed (renamed), its runs stay.
      const runCount = async () =>
        (await tdb.pool.query('select count(*)::int as n from khaosflow.runs where workflow_id = $1', [id])).rows[0].n as number;
      expect(await runCount()).toBe(1);

      expect((await api('DELETE', '/api/workflows/new-year')).status).toBe(204);
      clock.set(tick(year + 2));
      await scheduler.idle();
      expect(await runCount()).toBe(1);
    } finally {
      await scheduler.stop();
      await feed.close();
    }
  });

  it('closes its file watcher', async () => {
    const inbox = tempDir('kf-delete-watch-');
    const ino = fs.statSync(inbox).ino;
    await api(
      'POST',
      '/api/workflows',
      `name: Inbox Files\ntrigger: { type: file_watcher, path: "${inbox}", event: created, debounce: 100ms }\nsteps:\n  - name: Note\n    action: { type: log, message: "{{trigger.data.name}}" }\n`,
    );
    fs.writeFileSync(path.join(inbox, 'first.txt'), 'one');
    await waitForRunCount(tdb.db, 'inbox-files', 1);
    expect(inotifyWatchesOn(ino)).toBeGreaterThan(0);

    expect((await api('DELETE', '/api/workflows/inbox-files')).status).toBe(204);
    await expect.poll(() => inotifyWatchesOn(ino), { timeout: 20_000 }).toBe(0);
    fs.rmSync(inbox, { recursive: true, force: true });
  });
});

/**
 * How many inotify watches this process holds on the inode `ino` (Linux: chokidar and
 * fs.watch watch through inotify; /proc/self/fdinfo lists each watch with its inode in hex).
 */
function inotifyWatchesOn(ino: number): number {
  let count = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    if (target !== 'anon_inode:inotify') continue;
    const info = fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
    for (const match of info.matchAll(/^inotify wd:\S+ ino:([0-9a-f]+)/gm)) if (Number.parseInt(match[1]!, 16) === ino) count++;
  }
  return count;
}
