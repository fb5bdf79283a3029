// GET /api/runs filters and keyset pages, and bulk retry / cancel of a filtered set
// (POST /api/runs/retry, /api/runs/cancel), with their scope and role refusals.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { callApi, consoleSession, type CallOptions } from '../helpers/api.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let writer: string;
let reader: string;
let limited: string;
let editor: string;
let viewer: string;

const YAML = (name: string) => `name: ${name}\nsteps:\n  - name: Say\n    action: { type: log, message: hi }\n`;
const BASE = Date.parse('2026-11-01T00:00:00Z');

beforeAll(async () => {
  tdb = await createTestDatabase();
  // No worker: queued runs stay queued, so cancel has something to cancel.
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: false,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-run-history-') },
  });
  writer = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
  reader = (await createApiKey(tdb.db, { scopes: ['read'] })).key;
  limited = (await createApiKey(tdb.db, { scopes: ['read', 'write'], workflowSlug: 'alpha' })).key;
  editor = await consoleSession(tdb.db, 'editor');
  viewer = await consoleSession(tdb.db, 'viewer');
  for (const name of ['Alpha', 'Beta']) {
    expect((await callApi(node.baseUrl, 'POST', '/api/workflows', { key: writer, yaml: YAML(name) })).status).toBe(201);
  }
  // 120 runs: i-th run created i minutes after BASE, alternating workflow, status and trigger kind.
  await sql`
    insert into khaosflow.runs (workflow_id, version, status, trigger_kind, trigger_data, created_at, finished_at)
    select w.id, 1,
           (array['succeeded','failed','queued','cancelled'])[i % 4 + 1],
           (array['webhook','schedule','manual'])[i % 3 + 1],
           jsonb_build_object('customer', 'cust-' || i, 'note', case when i = 7 then '100% off_sale' else 'plain' end),
           ${new Date(BASE).toISOString()}::timestamptz + make_interval(mins => i),
           case when i % 4 in (0, 1, 3) then ${new Date(BASE).toISOString()}::timestamptz + make_interval(mins => i, secs => 5) end
    from generate_series(0, 119) as i
    join khaosflow.workflows w on w.slug = case when i % 2 = 0 then 'alpha' else 'beta' end
  `.execute(tdb.db);
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const get = (query: string, auth: CallOptions = { key: reader }) => callApi(node.baseUrl, 'GET', `/api/runs${query}`, auth);
const minute = (i: number) => new Date(BASE + i * 60_000).toISOString();

describe('GET /api/runs', () => {
  it('pages through every run newest first with the next cursor, 50 at a time', async () => {
    const seen: string[] = [];
    let after = '';
    let pages = 0;
    for (;;) {
      const res = await get(`?${after ? `after=${after}` : ''}`);
      expect(res.status).toBe(200);
      pages++;
      seen.push(...res.json.runs.map((r: { created_at: string }) => r.created_at));
      if (!res.json.next) break;
      after = res.json.next;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(120);
    expect(seen).toEqual([...seen].sort().reverse());
    expect(new Set(seen).size).toBe(120);
    expect(seen[0]).toBe(minute(119));
  });

  it('filters by workflow, status, trigger kind, time range and text in the trigger data', async () => {
    const all = async (query: string) => (await get(`?limit=500&${query}`)).json.runs as any[];
    const alpha = await all('workflow=alpha');
    expect(alpha).toHaveLength(60);
    expect(alpha.every((r) => r.workflow === 'alpha')).toBe(true);
    const failed = await all('status=failed');
    expect(failed).toHaveLength(30);
    expect(failed.every((r) => r.status === 'failed')).toBe(true);
    const hooks = await all('trigger=webhook');
    expect(hooks).toHaveLength(40);
    expect(hooks.every((r) => r.trigger_kind === 'webhook')).toBe(true);
    const window = await all(`since=${minute(10)}&until=${minute(20)}`);
    expect(window.map((r) => r.created_at)).toEqual(Array.from({ length: 10 }, (_, k) => minute(19 - k)));
    expect((await all('q=cust-42')).map((r) => r.created_at)).toEqual([minute(42)]);
    // LIKE's wildcards in q are plain text.
    expect((await all('q=100%25 off_')).map((r) => r.created_at)).toEqual([minute(7)]);
    expect(await all('q=0%25_x')).toHaveLength(0);
    const combined = await all('workflow=beta&status=failed&trigger=schedule');
    expect(combined.length).toBeGreaterThan(0);
    expect(combined.every((r) => r.workflow === 'beta' && r.status === 'failed' && r.trigger_kind === 'schedule')).toBe(true);
  });

  it('keeps the filters across pages', async () => {
    const first = await get('?status=failed&limit=20');
    expect(first.json.runs).toHaveLength(20);
    const second = await get(`?status=failed&limit=20&after=${first.json.next}`);
    expect(second.json.runs).toHaveLength(10);
    expect(second.json.next).toBeNull();
    expect(second.json.runs.every((r: { status: string }) => r.status === 'failed')).toBe(true);
  });

  it('answers 422 naming the wrong filter', async () => {
    const status = await get('?status=broken');
    expect(status.status).toBe(422);
    expect(Object.keys(status.json.error.details.fields)).toEqual(['status']);
    expect((await get('?q=ab')).json.error.details.fields.q).toBeTruthy();
    expect((await get('?since=yesterday')).json.error.details.fields.since).toBeTruthy();
    expect((await get('?after=nonsense')).json.error.details.fields.after).toBeTruthy();
    expect((await get('?limit=0')).status).toBe(422);
  });

  it('needs a read key or a console session; a key limited to a workflow must filter by it', async () => {
    expect((await get('', {})).status).toBe(401);
    expect((await get('', { cookie: viewer })).status).toBe(200);
    expect((await get('', { key: limited })).status).toBe(403);
    const own = await get('?workflow=alpha', { key: limited });
    expect(own.status).toBe(200);
    expect((await get('?workflow=beta', { key: limited })).status).toBe(403);
  });
});

describe('bulk retry and cancel', () => {
  const post = (action: string, query: string, auth: CallOptions) => callApi(node.baseUrl, 'POST', `/api/runs/${action}${query}`, auth);

  it('refuses read keys and viewers, and session changes from another origin', async () => {
    for (const action of ['retry', 'cancel']) {
      expect((await post(action, '?workflow=alpha', {})).status).toBe(401);
      expect((await post(action, '?workflow=alpha', { key: reader })).status).toBe(403);
      const asViewer = await post(action, '?workflow=alpha', { cookie: viewer, origin: node.baseUrl });
      expect(asViewer.status).toBe(403);
      expect(asViewer.json.error.message).toContain('viewer');
      expect((await post(action, '?workflow=alpha', { cookie: editor, origin: 'https://evil.example' })).status).toBe(403);
      expect((await post(action, '', { key: limited })).status).toBe(403);
    }
  });

  it('retries the failed and cancelled runs of the filtered set, never succeeded ones', async () => {
    const none = await post('retry', '?workflow=alpha&status=succeeded', { key: writer });
    expect(none.json).toEqual({ action: 'retry', runs: [], more: false });
    const window = `since=${minute(0)}&until=${minute(20)}&workflow=alpha`;
    const res = await post('retry', `?${window}`, { cookie: editor, origin: node.baseUrl });
    expect(res.status).toBe(200);
    // alpha runs are the even minutes; i % 4 = 1 (failed) and 3 (cancelled) are odd, so alpha has none
    expect(res.json.runs).toEqual([]);
    const beta = await post('retry', `?since=${minute(0)}&until=${minute(20)}&workflow=beta`, { key: writer });
    // beta minutes 1..19 odd: i % 4 = 1 failed (1,5,9,13,17) and 3 cancelled (3,7,11,15,19)
    expect(beta.json.runs).toHaveLength(10);
    for (const r of beta.json.runs) {
      const original = (await get(`/${r.retry_of}`)).json;
      expect(['failed', 'cancelled']).toContain(original.status);
      const retry = (await get(`/${r.id}`)).json;
      expect(retry.retry_of).toBe(r.retry_of);
    }
  });

  it('cancels the queued runs of the filtered set', async () => {
    const before = (await get('?status=queued&workflow=alpha&limit=500')).json.runs.length;
    expect(before).toBeGreaterThan(0);
    const res = await post('cancel', '?workflow=alpha&trigger=webhook', { key: limited });
    expect(res.status).toBe(200);
    expect(res.json.runs.length).toBeGreaterThan(0);
    for (const r of res.json.runs) expect((await get(`/${r.id}`)).json.status).toBe('cancelled');
    const left = (await get('?status=queued&workflow=alpha&trigger=webhook')).json.runs;
    expect(left).toEqual([]);
    const others = (await get('?status=queued&workflow=alpha&limit=500')).json.runs.length;
    expect(others).toBe(before - res.json.runs.length);
  });
});
