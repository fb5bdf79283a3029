// The settings API: secrets (values in, never out), variables, email templates with a
// preview, and API keys (shown once, revocable), each refusing a missing key (401) and
// a key without the `write` scope (403).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let writer: string;
let reader: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: false,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-settings-') },
  });
  writer = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
  reader = (await createApiKey(tdb.db, { scopes: ['read'] })).key;
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

async function api(method: string, path: string, body?: unknown, key: string | null = writer) {
  const res = await fetch(`${node.baseUrl}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

describe('secrets API', () => {
  const value = 'sk_live_ThisMustNeverComeBack_42';

  it('stores a value encrypted and lists names and dates only', async () => {
    const put = await api('PUT', '/secrets/stripe_key', { value });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ name: 'stripe_key' });
    const list = await api('GET', '/secrets', undefined, reader);
    expect(list.status).toBe(200);
    expect(list.json!.secrets).toEqual([{ name: 'stripe_key', created_at: expect.any(String), updated_at: expect.any(String) }]);
    expect(list.text).not.toContain(value);
    const stored = await tdb.pool.query('select * from khaosflow.secrets');
    expect(JSON.stringify(stored.rows)).not.toContain(value);
  });

  it('rotates a value in place and deletes it', async () => {
    const before = (await api('GET', '/secrets')).json!.secrets as { updated_at: string }[];
    expect((await api('PUT', '/secrets/stripe_key', { value: `${value}-rotated` })).status).toBe(200);
    const after = (await api('GET', '/secrets')).json!.secrets as { updated_at: string }[];
    expect(Date.parse(after[0]!.updated_at)).toBeGreaterThanOrEqual(Date.parse(before[0]!.updated_at));
    expect((await api('DELETE', '/secrets/stripe_key')).status).toBe(204);
    expect((await api('DELETE', '/secrets/stripe_key')).status).toBe(404);
  });

  it('refuses bad names, empty values, missing keys and read-only keys', async () => {
    expect((await api('PUT', '/secrets/has-dash', { value: 'x' })).status).toBe(400);
    const empty = await api('PUT', '/secrets/ok_name', { value: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('value');
    expect((await api('PUT', '/secrets/ok_name', { value: 'x' }, null)).status).toBe(401);
    expect((await api('PUT', '/secrets/ok_name', { value: 'x' }, reader)).status).toBe(403);
    expect((await api('GET', '/secrets', undefined, null)).status).toBe(401);
  });
});

describe('variables API', () => {
  it('sets any JSON value, lists it and deletes it', async () => {
    expect((await api('PUT', '/variables/shop', { value: { url: 'https://shop.example', retries: 3 } })).status).toBe(200);
    expect((await api('PUT', '/variables/limit', { value: 500 })).status).toBe(200);
    const list = await api('GET', '/variables', undefined, reader);
    expect(list.json!.variables).toEqual(
      expect.arrayContaining([
        { name: 'limit', value: 500, source: 'database' },
        { name: 'shop', value: { url: 'https://shop.example', retries: 3 }, source: 'database' },
      ]),
    );
    expect((await api('PUT', '/variables/limit', {})).status).toBe(400);
    expect((await api('PUT', '/variables/limit', { value: 1 }, reader)).status).toBe(403);
    expect((await api('DELETE', '/variables/limit')).status).toBe(204);
    expect((await api('DELETE', '/variables/limit')).status).toBe(404);
  });
});

describe('email templates API', () => {
  it('saves a template and previews it with sample data, escaping HTML', async () => {
    const put = await api('PUT', '/templates/order_confirmation', {
      subject: 'Order {{order.id}} confirmed',
      html: '<p>Hello {{order.customer}}</p>',
      text: 'Hello {{order.customer}}',
    });
    expect(put.status).toBe(200);
    const preview = await api(
      'POST',
      '/templates/order_confirmation/preview',
      { data: { order: { id: 42, customer: 'Ada <admin>' } } },
      reader,
    );
    expect(preview.status).toBe(200);
    expect(preview.json).toEqual({ subject: 'Order 42 confirmed', html: '<p>Hello Ada &lt;admin&gt;</p>', text: 'Hello Ada <admin>' });
    const list = await api('GET', '/templates');
    expect(list.json!.templates).toEqual([
      expect.objectContaining({ name: 'order_confirmation', subject: 'Order {{order.id}} confirmed' }),
    ]);
  });

  it('says what is wrong with a template and refuses a missing one', async () => {
    const noBody = await api('PUT', '/templates/bare', { subject: 'Hi' });
    expect(noBody.status).toBe(400);
    expect(noBody.text).toContain('html, text or both');
    expect((await api('POST', '/templates/missing/preview', { data: {} })).status).toBe(404);
    expect((await api('PUT', '/templates/bad name', { subject: 'x', text: 'y' })).status).toBe(400);
    expect((await api('DELETE', '/templates/order_confirmation', undefined, reader)).status).toBe(403);
    expect((await api('DELETE', '/templates/order_confirmation')).status).toBe(204);
  });
});

describe('API keys API', () => {
  it('shows a new key once, lets it work, and revokes it', async () => {
    const created = await api('POST', '/keys', { name: 'reporting', scopes: ['read'] });
    expect(created.status).toBe(201);
    const { id, key } = created.json as { id: number; key: string };
    expect(key).toMatch(/^kf_/);
    expect((await api('GET', '/secrets', undefined, key)).status).toBe(200);

    const list = await api('GET', '/keys');
    expect(list.text).not.toContain(key);
    expect(list.json!.keys).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, name: 'reporting', scopes: ['read'], workflow: null })]),
    );
    const stored = await tdb.pool.query('select * from khaosflow.api_keys where id = $1', [id]);
    expect(JSON.stringify(stored.rows)).not.toContain(key);

    expect((await api('DELETE', `/keys/${id}`, undefined, reader)).status).toBe(403);
    expect((await api('DELETE', `/keys/${id}`)).status).toBe(204);
    expect((await api('GET', '/secrets', undefined, key)).status).toBe(401);
    expect(((await api('GET', '/keys')).json!.keys as { id: number }[]).map((k) => k.id)).not.toContain(id);
  });

  it('refuses unknown scopes and a read-only creator', async () => {
    const bad = await api('POST', '/keys', { name: 'x', scopes: ['admin'] });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('scopes');
    expect((await api('POST', '/keys', { name: 'x', scopes: ['read'] }, reader)).status).toBe(403);
  });
});
