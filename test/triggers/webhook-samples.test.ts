// "Listen for a test event": POST /api/workflows/<slug>/listen opens a capture; requests
// to /hooks-test/<path>, authenticated like the real hook, become samples (no run);
// GET /api/workflows/<slug>/samples lists the newest 10 without credential headers.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { applyYaml, runsOf, tempDir } from './helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let apiKey: string;
beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: false,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-samples-') },
  });
  await node.services.vault.secrets.set('gh_secret', 'gh-key');
  await applyYaml(
    tdb.db,
    'name: Pushes\ntrigger:\n  type: webhook\n  path: /github/push\n  authentication: { type: github, secret: gh_secret }\n',
  );
  await applyYaml(tdb.db, 'name: Nightly\ntrigger: { type: schedule, cron: "0 3 * * *" }\n');
  apiKey = (await createApiKey(tdb.db, { scopes: ['write'] })).key;
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const api = (method: string, path: string) => fetch(`${node.baseUrl}${path}`, { method, headers: { Authorization: `Bearer ${apiKey}` } });
const pushTest = (body: string, signWith = 'gh-key') =>
  fetch(`${node.baseUrl}/hooks-test/github/push?ref=main`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'X-Hub-Signature-256': `sha256=${createHmac('sha256', signWith).update(body).digest('hex')}`,
      'X-GitHub-Delivery': 'd-1',
    },
    body,
  });

describe('test events', () => {
  it('refuses a test request while no capture is open, saying how to open one', async () => {
    const res = await pushTest('{"ref":"refs/heads/main"}');
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('POST /api/workflows/pushes/listen');
  });

  it('keeps a test request as a sample, authenticated like the real hook, and starts no run', async () => {
    const listen = await api('POST', '/api/workflows/pushes/listen');
    expect(listen.status).toBe(200);
    const opened = (await listen.json()) as { test_url: string; listening_until: string };
    expect(opened.test_url).toBe('/hooks-test/github/push');
    const until = new Date(opened.listening_until).getTime() - Date.now();
    expect(until).toBeGreaterThan(100_000);
    expect(until).toBeLessThanOrEqual(120_000);

    expect((await pushTest('{"ref":"refs/heads/main"}', 'wrong-key')).status).toBe(401);
    const res = await pushTest('{"ref":"refs/heads/main","commits":[{"id":"abc"}]}');
    expect(res.status).toBe(200);
    expect(await runsOf(tdb.db, 'pushes')).toHaveLength(0);

    const listed = await api('GET', '/api/workflows/pushes/samples');
    expect(listed.status).toBe(200);
    const { samples } = (await listed.json()) as {
      samples: { id: string; trigger: { data: unknown; headers: Record<string, string>; query: unknown; path: string } }[];
    };
    expect(samples).toHaveLength(1);
    expect(samples[0]!.trigger).toMatchObject({
      data: { ref: 'refs/heads/main', commits: [{ id: 'abc' }] },
      query: { ref: 'main' },
      path: '/github/push',
    });
    expect(samples[0]!.trigger.headers['x-github-delivery']).toBe('d-1');
    expect(samples[0]!.trigger.headers).not.toHaveProperty('x-hub-signature-256');
  });

  it('lists the newest 10 samples, newest first', async () => {
    await api('POST', '/api/workflows/pushes/listen');
    for (let i = 0; i < 12; i++) expect((await pushTest(JSON.stringify({ n: i }))).status).toBe(200);
    const { samples } = (await (await api('GET', '/api/workflows/pushes/samples')).json()) as {
      samples: { trigger: { data: { n: number } } }[];
    };
    expect(samples.map((s) => s.trigger.data.n)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  });

  it("listens for an unsaved draft with its YAML, checking the draft's authentication", async () => {
    const yaml =
      'name: Shop Orders\ntrigger:\n  type: webhook\n  path: /shop/orders\n  authentication: { type: shopify, secret: shop_secret }\n';
    await node.services.vault.secrets.set('shop_secret', 'shop-key');
    const listen = await fetch(`${node.baseUrl}/api/workflows/shop-orders/listen`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ yaml }),
    });
    expect(listen.status).toBe(200);
    expect(((await listen.json()) as { test_url: string }).test_url).toBe('/hooks-test/shop/orders');
    const body = '{"id":1,"total_price":"9.50"}';
    const send = (signature: string) =>
      fetch(`${node.baseUrl}/hooks-test/shop/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Shopify-Hmac-Sha256': signature },
        body,
      });
    expect((await send(createHmac('sha256', 'wrong').update(body).digest('base64'))).status).toBe(401);
    expect((await send(createHmac('sha256', 'shop-key').update(body).digest('base64'))).status).toBe(200);
    const { samples } = (await (await api('GET', '/api/workflows/shop-orders/samples')).json()) as {
      samples: { trigger: { data: unknown } }[];
    };
    expect(samples.map((s) => s.trigger.data)).toEqual([{ id: 1, total_price: '9.50' }]);

    const broken = await fetch(`${node.baseUrl}/api/workflows/shop-orders/listen`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ yaml: 'trigger:\n  type: webhook\n  authentication: { type: github }\n' }),
    });
    expect(broken.status).toBe(422);
    expect(((await broken.json()) as { error: { message: string } }).error.message).toContain('github needs secret');
  });

  it('refuses to listen on a workflow without a webhook trigger, and on one that does not exist', async () => {
    const res = await api('POST', '/api/workflows/nightly/listen');
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('schedule trigger');
    expect((await api('POST', '/api/workflows/nope/listen')).status).toBe(404);
  });
});
