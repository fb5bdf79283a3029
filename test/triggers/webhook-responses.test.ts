// What a webhook caller gets back: 202 once the run is committed, the run's result
// when asked to wait, the first run again for a repeated delivery, and clear refusals
// for what cannot be accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { gate, registerTestActions } from '../helpers/test-actions.js';
import { applyYaml, runsOf, tempDir } from './helpers.js';

let tdb: TestDatabase;
let node: TestNode;
beforeAll(async () => {
  registerTestActions();
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: true,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-hooks-') },
  });
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const hook = (path: string, init: RequestInit & { json?: unknown } = {}) => {
  const { json, ...rest } = init;
  return fetch(`${node.baseUrl}/hooks${path}`, {
    method: 'POST',
    ...rest,
    ...(json === undefined
      ? {}
      : { body: JSON.stringify(json), headers: { 'content-type': 'application/json', ...(rest.headers as Record<string, string>) } }),
  });
};

describe('respond: sync', () => {
  it('answers with the run output without any header from the caller', async () => {
    await applyYaml(
      tdb.db,
      `
name: Sync Quote
trigger: { type: webhook, path: /quote, respond: sync }
steps:
  - name: Price
    action: { type: transform, operation: aggregate, input: "{{trigger.data.items}}", aggregations: { total: "sum(price)" } }
`,
    );
    const res = await hook('/quote', { json: { items: [{ price: 2 }, { price: 5 }] } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ total: 7 }]);
    expect(res.headers.get('preference-applied')).toBeNull();
  });

  it('falls back to 202 + Location after its timeout', async () => {
    await applyYaml(
      tdb.db,
      `
name: Sync Slow
trigger: { type: webhook, respond: { mode: sync, timeout: 300ms } }
steps:
  - name: Hold
    action: { type: test_block, gate: sync-slow-gate }
`,
    );
    const res = await hook('/sync-slow', { json: {} });
    expect(res.status).toBe(202);
    const { run_id } = (await res.json()) as { run_id: string };
    expect(res.headers.get('location')).toBe(`/api/runs/${run_id}`);
    gate('sync-slow-gate').release();
  });
});

describe('waiting for the result (Prefer: wait, where the workflow has respond:)', () => {
  it('ignores Prefer: wait on a hook without respond:, so a caller cannot read the output of a 202-only hook', async () => {
    await applyYaml(
      tdb.db,
      `
name: Quiet Hook
trigger: { type: webhook }
steps:
  - name: Secret Answer
    action: { type: log, message: "internal {{trigger.data.n}}" }
`,
    );
    const res = await hook('/quiet-hook', { json: { n: 1 }, headers: { Prefer: 'wait=20' } });
    expect(res.status).toBe(202);
    expect(res.headers.get('preference-applied')).toBeNull();
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['run_id']);
  });

  it('answers 200 with the run output when the run succeeds in time', async () => {
    await applyYaml(
      tdb.db,
      `
name: Greeter
trigger: { type: webhook, path: /greet, respond: async }
steps:
  - name: Say Hello
    action: { type: log, message: "hello {{trigger.data.name}}" }
`,
    );
    const res = await hook('/greet', { json: { name: 'Ada' }, headers: { Prefer: 'wait=20' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ level: 'info', message: 'hello Ada' });
    expect(res.headers.get('x-khaosflow-run-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('preference-applied')).toBe('wait=20');
  });

  it('answers 500 with the failing step and the run id when the run fails', async () => {
    await applyYaml(
      tdb.db,
      `
name: Exploder
trigger: { type: webhook, respond: async }
steps:
  - name: Explode
    action: { type: test_fail, kind: fatal, times: 5, message: "inventory service said no" }
`,
    );
    const res = await hook('/exploder', { json: {}, headers: { Prefer: 'wait=20' } });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { run_id: string; status: string; error: { code: string; message: string; step?: string } };
    expect(body).toMatchObject({ status: 'failed', error: { code: 'run_failed' } });
    expect(body.error.message).toContain('inventory service said no');
    expect(body.error.step).toBeDefined();
    expect((await runsOf(tdb.db, 'exploder'))[0]!.id).toBe(body.run_id);
  });

  it('falls back to 202 with Location when the run outlasts the wait, and the run still finishes', async () => {
    await applyYaml(
      tdb.db,
      `
name: Slowpoke
trigger: { type: webhook, respond: async }
steps:
  - name: Hold
    action: { type: test_block, gate: slowpoke-gate, value: done }
`,
    );
    const res = await hook('/slowpoke', { json: {}, headers: { Prefer: 'wait=1' } });
    expect(res.status).toBe(202);
    const { run_id } = (await res.json()) as { run_id: string };
    expect(res.headers.get('location')).toBe(`/api/runs/${run_id}`);
    gate('slowpoke-gate').release();
    await expect.poll(async () => (await runsOf(tdb.db, 'slowpoke'))[0]!.status, { timeout: 20_000 }).toBe('succeeded');
  });
});

describe('repeated deliveries', () => {
  it('returns the first run for a repeated Idempotency-Key', async () => {
    await applyYaml(tdb.db, 'name: Orders In\ntrigger: { type: webhook, path: /orders/new }\n');
    const first = await hook('/orders/new', { json: { id: 1 }, headers: { 'Idempotency-Key': 'delivery-42' } });
    const again = await hook('/orders/new', { json: { id: 1 }, headers: { 'Idempotency-Key': 'delivery-42' } });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(((await again.json()) as { run_id: string }).run_id).toBe(((await first.json()) as { run_id: string }).run_id);
    expect(await runsOf(tdb.db, 'orders-in')).toHaveLength(1);
    expect((await hook('/orders/new', { json: { id: 1 }, headers: { 'Idempotency-Key': 'delivery-43' } })).status).toBe(202);
    expect(await runsOf(tdb.db, 'orders-in')).toHaveLength(2);
  });

  it('deduplicates by the trigger dedupe_key expression over the request', async () => {
    await applyYaml(tdb.db, 'name: Deliveries\ntrigger: { type: webhook, dedupe_key: "{{trigger.data.delivery_id}}" }\n');
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++)
      ids.add(((await (await hook('/deliveries', { json: { delivery_id: 'd-1', attempt: i } })).json()) as { run_id: string }).run_id);
    expect(ids.size).toBe(1);
    expect(await runsOf(tdb.db, 'deliveries')).toHaveLength(1);
  });
});

describe('what a webhook accepts', () => {
  beforeAll(async () => {
    await applyYaml(tdb.db, 'name: Inbox\ntrigger: { type: webhook, path: /inbox }\n');
  });
  const lastData = async () => (await runsOf(tdb.db, 'inbox')).at(-1)!.trigger_data as { data: unknown; query: unknown };

  it('keeps JSON, form fields, text and XML, with the query beside', async () => {
    expect((await hook('/inbox?source=crm&tag=a&tag=b', { json: { a: [1, { b: null }] } })).status).toBe(202);
    expect(await lastData()).toMatchObject({ data: { a: [1, { b: null }] }, query: { source: 'crm', tag: ['a', 'b'] } });
    await hook('/inbox', { body: 'name=Ada+L&tag=x&tag=y', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect((await lastData()).data).toEqual({ name: 'Ada L', tag: ['x', 'y'] });
    await hook('/inbox', { body: 'plain words', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect((await lastData()).data).toBe('plain words');
    await hook('/inbox', { body: '<order id="1"/>', headers: { 'content-type': 'application/xml' } });
    expect((await lastData()).data).toBe('<order id="1"/>');
  });

  it('refuses other content types (415), large bodies (413), deep or broken JSON (400)', async () => {
    const before = (await runsOf(tdb.db, 'inbox')).length;
    const binary = await hook('/inbox', { body: 'xx', headers: { 'content-type': 'application/octet-stream' } });
    expect(binary.status).toBe(415);
    expect(((await binary.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
    const big = await hook('/inbox', { body: 'x'.repeat(1024 * 1024 + 1), headers: { 'content-type': 'text/plain' } });
    expect(big.status).toBe(413);
    const deep = await hook('/inbox', { body: `${'['.repeat(100)}${']'.repeat(100)}`, headers: { 'content-type': 'application/json' } });
    expect(deep.status).toBe(400);
    expect((await hook('/inbox', { body: '{"a":', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect(await runsOf(tdb.db, 'inbox')).toHaveLength(before);
  });

  it('answers unknown paths 404, wrong methods 405 with Allow, disabled workflows 409 and shared paths 409', async () => {
    const unknown = await hook('/nowhere', { json: {} });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found');

    const wrongMethod = await fetch(`${node.baseUrl}/hooks/inbox`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');

    await applyYaml(tdb.db, 'name: Paused\ntrigger: { type: webhook }\n', { enabled: false });
    const paused = await hook('/paused', { json: {} });
    expect(paused.status).toBe(409);
    expect(((await paused.json()) as { error: { code: string } }).error.code).toBe('workflow_disabled');

    await applyYaml(tdb.db, 'name: Claimant One\ntrigger: { type: webhook, path: /shared }\n');
    await applyYaml(tdb.db, 'name: Claimant Two\ntrigger: { type: webhook, path: /shared }\n');
    // The route table learns of the second claim through the change notification.
    await expect.poll(async () => (await hook('/shared', { json: {} })).status, { timeout: 10_000 }).toBe(409);
    const shared = await hook('/shared', { json: {} });
    expect(((await shared.json()) as { error: { message: string } }).error.message).toMatch(
      /claimant-one.*claimant-two|claimant-two.*claimant-one/,
    );
  });

  it('serves GET and PUT hooks, the slug alias of a custom path, and a custom response', async () => {
    await applyYaml(tdb.db, 'name: Pinger\ntrigger: { type: webhook, method: GET, path: /ping }\n');
    const ping = await fetch(`${node.baseUrl}/hooks/ping?x=1`);
    expect(ping.status).toBe(202);
    expect((await runsOf(tdb.db, 'pinger'))[0]!.trigger_data).toMatchObject({ data: {}, query: { x: '1' }, method: 'GET' });
    expect((await fetch(`${node.baseUrl}/hooks/pinger`)).status).toBe(202);

    await applyYaml(
      tdb.db,
      `
name: Upserter
trigger:
  type: webhook
  method: PUT
  respond: { status: 200, headers: { X-Kind: upsert }, body: { ok: true, run: "{{run.id}}", name: "{{trigger.data.name}}" } }
`,
    );
    const res = await hook('/upserter', { method: 'PUT', json: { name: 'Bo' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-kind')).toBe('upsert');
    const body = (await res.json()) as { ok: boolean; run: string; name: string };
    expect(body).toMatchObject({ ok: true, name: 'Bo' });
    expect((await runsOf(tdb.db, 'upserter'))[0]!.id).toBe(body.run);
  });
});
