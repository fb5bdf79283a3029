// Every trigger snippet of the spec (examples/triggers/*.yaml, applied as written)
// starts a run that executes to the end.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyWorkflow } from '../../db/queries/workflow-store.js';
import { createApiKey } from '../../server/api-keys/store.js';
import { projectRoot } from '../../server/paths.js';
import { nextTick } from '../../server/triggers/schedule/tick-plan.js';
import { createScheduler } from '../../server/triggers/schedule/scheduler.js';
import { parseWorkflow, type ScheduleTrigger } from '../../server/workflow/index.js';
import { adminQuery, createTestDatabase, databaseUrl, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { runsOf, tempDir, waitForRunCount } from './helpers.js';
import { ManualClock } from './manual-clock.js';

const UPLOADS = '/data/uploads';
let tdb: TestDatabase;
let node: TestNode;
let mainName: string;
let main: pg.Pool;
const uploaded: string[] = [];

async function applyExample(file: string) {
  const source = fs.readFileSync(path.join(projectRoot, 'examples', 'triggers', file), 'utf8');
  const parsed = parseWorkflow(source, { file });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${file}:${p.line}:${p.col}: ${p.message}`).join('\n'));
  await applyWorkflow(tdb.db, { definition: parsed.workflow, source, createdBy: 'test' });
  return parsed.workflow;
}

async function finished(slug: string, index = 0) {
  await expect.poll(async () => (await runsOf(tdb.db, slug))[index]?.status, { timeout: 30_000 }).toBe('succeeded');
  return (await runsOf(tdb.db, slug))[index]!;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  mainName = `${tdb.name}_main`;
  await adminQuery(`create database ${mainName}`);
  main = new pg.Pool({ connectionString: databaseUrl(mainName), max: 2 });
  await main.query('create table orders (id serial primary key, status text not null, total numeric)');
  // The database snippet names `connection: postgres_main`.
  process.env.KHAOSFLOW_CONNECTION_POSTGRES_MAIN = databaseUrl(mainName);
  // The file watcher snippet watches /data/uploads/ (this is a throwaway test machine),
  // which is outside the default file roots: allow it, as a deployment would.
  fs.mkdirSync(UPLOADS, { recursive: true });
  const env = { KHAOSFLOW_HOME: tempDir('kf-examples-'), KHAOSFLOW_FILE_ROOTS: [UPLOADS, os.tmpdir()].join(':') };
  node = await startTestNode({ databaseUrl: tdb.url, http: true, worker: true, singletons: true, env });
});
afterAll(async () => {
  await node?.stop();
  await main?.end();
  await adminQuery(`drop database if exists ${mainName} with (force)`);
  await tdb?.drop();
  for (const file of uploaded) fs.rmSync(file, { force: true });
});

describe('spec trigger snippets', () => {
  it('webhook: POST /hooks/<workflow> with an API key in X-API-Key', async () => {
    const workflow = await applyExample('webhook.yaml');
    expect(workflow.trigger).toMatchObject({
      type: 'webhook',
      path: '/webhook',
      method: 'POST',
      authentication: { type: 'api_key', header: 'X-API-Key' },
    });
    const { key } = await createApiKey(tdb.db, { workflowSlug: workflow.slug, scopes: ['webhook'] });
    const res = await fetch(`${node.baseUrl}/hooks/${workflow.slug}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-API-Key': key },
      body: '{"customer":"Ada"}',
    });
    expect(res.status).toBe(202);
    const run = await finished(workflow.slug);
    expect(run.id).toBe(((await res.json()) as { run_id: string }).run_id);
    expect(run.trigger_data).toMatchObject({ data: { customer: 'Ada' } });
  });

  it('schedule: weekdays at 9 AM in Chicago, from cron or from "every weekday at 9am"', async () => {
    const workflow = await applyExample('schedule.yaml');
    const trigger = workflow.trigger as ScheduleTrigger;
    expect(trigger).toMatchObject({ type: 'schedule', cron: '0 9 * * 1-5', timezone: 'America/Chicago' });
    const tick = nextTick(trigger.cron, trigger.timezone, new Date())!;
    expect(
      new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', weekday: 'short', hour: 'numeric', hour12: false }).format(tick),
    ).toMatch(/^(Mon|Tue|Wed|Thu|Fri),? 09$/);
    const scheduler = createScheduler({
      db: node.services.db,
      logger: node.services.logger,
      feed: { subscribe: () => () => undefined, close: async () => undefined },
      clock: new ManualClock(tick),
    });
    await scheduler.start();
    await scheduler.idle();
    await scheduler.stop();
    const run = (await runsOf(tdb.db, workflow.slug)).find(
      (r) => (r.trigger_data as { data: { scheduled_at: string } }).data.scheduled_at === tick.toISOString(),
    );
    expect(run).toBeDefined();
    await expect
      .poll(async () => (await runsOf(tdb.db, workflow.slug)).find((r) => r.id === run!.id)?.status, { timeout: 30_000 })
      .toBe('succeeded');
  });

  it('manual: a "Run Backup" button with a confirmation and an environment to choose', async () => {
    const workflow = await applyExample('manual.yaml');
    const { key } = await createApiKey(tdb.db, { scopes: ['read', 'write'] });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    const summary = (await (await fetch(`${node.baseUrl}/api/workflows/${workflow.slug}`, { headers })).json()) as { trigger: object };
    expect(summary.trigger).toMatchObject({
      type: 'manual',
      button_label: 'Run Backup',
      confirmation: true,
      parameters: [{ name: 'environment', type: 'select', options: ['dev', 'staging', 'prod'] }],
    });
    const res = await fetch(`${node.baseUrl}/api/workflows/${workflow.slug}/runs`, {
      method: 'POST',
      headers,
      body: '{"parameters":{"environment":"staging"}}',
    });
    expect(res.status).toBe(202);
    expect((await finished(workflow.slug)).trigger_data).toMatchObject({ data: { environment: 'staging' } });
  });

  it("database: INSERTs into orders on postgres_main with status = 'new'", async () => {
    const workflow = await applyExample('database.yaml');
    await expect
      .poll(
        async () =>
          (
            await tdb.db
              .selectFrom('khaosflow.db_trigger_installs')
              .select('status')
              .where('workflow_slug', '=', workflow.slug)
              .executeTakeFirst()
          )?.status,
        { timeout: 20_000 },
      )
      .toBe('installed');
    await main.query("insert into orders (status, total) values ('draft', 5), ('new', 42), ('shipped', 7)");
    const run = await finished(workflow.slug);
    expect(run.trigger_data).toMatchObject({ event: 'INSERT', table: 'orders', data: { status: 'new', total: 42 } });
    await expect.poll(async () => Number((await main.query('select count(*) from khaosflow_events.events')).rows[0].count)).toBe(0);
    expect(await runsOf(tdb.db, workflow.slug)).toHaveLength(1);
  });

  it('file_watcher: *.csv created in /data/uploads/', async () => {
    const workflow = await applyExample('file-watcher.yaml');
    const name = `kf-test-${randomBytes(4).toString('hex')}.csv`;
    const file = path.join(UPLOADS, name);
    uploaded.push(file, `${file}.txt`);
    fs.writeFileSync(`${file}.txt`, 'not a csv');
    const content = 'id,total\n1,42\n';
    fs.writeFileSync(file, content);
    await waitForRunCount(tdb.db, workflow.slug, 1);
    await expect
      .poll(
        async () =>
          (await runsOf(tdb.db, workflow.slug)).find((r) => (r.trigger_data as { data: { name: string } }).data.name === name)?.status,
        { timeout: 30_000 },
      )
      .toBe('succeeded');
    const mine = (await runsOf(tdb.db, workflow.slug)).filter((r) =>
      (r.trigger_data as { data: { name: string } }).data.name.startsWith(name),
    );
    expect(mine).toHaveLength(1);
    expect(mine[0]!.trigger_data).toMatchObject({ data: { path: file, name, size: Buffer.byteLength(content), event: 'created' } });
  });
});
