// Who may start a webhook run: API keys (made with `khaosflow keys create`), HMAC
// signatures over timestamp + body with key rotation, or nobody checks at all.
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../../server/api-keys/store.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { applyYaml, runsOf, tempDir } from './helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let home: string;
beforeAll(async () => {
  tdb = await createTestDatabase();
  home = tempDir('kf-hooks-');
  node = await startTestNode({ databaseUrl: tdb.url, http: true, worker: false, singletons: false, env: { KHAOSFLOW_HOME: home } });
  await applyYaml(
    tdb.db,
    `
name: Keyed Hook
trigger:
  type: webhook
  path: /customers/new
  authentication: { type: api_key, header: X-API-Key }
`,
  );
  await applyYaml(
    tdb.db,
    `
name: Signed Hook
trigger:
  type: webhook
  authentication: { type: hmac, secret: hook_secret, header: X-KhaosFlow-Signature, prefix: "sha256=" }
`,
  );
  await applyYaml(tdb.db, 'name: Open Hook\ntrigger: { type: webhook }\n');
  await applyYaml(tdb.db, 'name: Unsigned Hook\ntrigger:\n  type: webhook\n  authentication: { type: hmac, secret: never_set }\n');
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${node.baseUrl}/hooks${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function runRow(id: string) {
  return tdb.db
    .selectFrom('khaosflow.runs')
    .select(['id', 'status', 'trigger_kind', 'trigger_data'])
    .where('id', '=', id)
    .executeTakeFirst();
}

describe('api_key authentication', () => {
  it('accepts the key printed once by `khaosflow keys create --workflow`, with the run committed before the 202', async () => {
    const created = await runCli(['keys', 'create', '--workflow', 'keyed-hook'], {
      env: { DATABASE_URL: tdb.url, KHAOSFLOW_HOME: home, LOG_LEVEL: 'warn' },
    });
    expect(created.code, created.stderr).toBe(0);
    const lines = created.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const key = lines[0]!;
    expect(key).toMatch(/^kf_[a-z0-9]{8}_[0-9A-Za-z]{32}$/);
    expect(created.stderr).toContain('not shown again');
    expect(created.stderr).not.toContain(key);

    const res = await post('/customers/new', { name: 'Ada', email: 'ada@example.com' }, { 'X-API-Key': key });
    expect(res.status).toBe(202);
    const { run_id } = (await res.json()) as { run_id: string };
    const row = await runRow(run_id);
    expect(row).toMatchObject({ status: 'queued', trigger_kind: 'webhook' });
    const trigger = row!.trigger_data as { data: unknown; headers: Record<string, string>; query: unknown };
    expect(trigger.data).toEqual({ name: 'Ada', email: 'ada@example.com' });
    expect(trigger.headers['content-type']).toBe('application/json');
    expect(trigger.headers).not.toHaveProperty('x-api-key');
    expect(res.headers.get('location')).toBe(`/api/runs/${run_id}`);

    expect((await post('/customers/new', {}, { Authorization: `Bearer ${key}` })).status).toBe(202);
  });

  it('refuses a missing, wrong, foreign or revoked key', async () => {
    const missing = await post('/customers/new', {});
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('X-API-Key');

    const wrong = `kf_abcdefgh_${randomBytes(16).toString('hex')}`;
    expect((await post('/customers/new', {}, { 'X-API-Key': wrong })).status).toBe(401);

    const foreign = await createApiKey(tdb.db, { workflowSlug: 'open-hook', scopes: ['webhook'] });
    expect((await post('/customers/new', {}, { 'X-API-Key': foreign.key })).status).toBe(403);

    const readOnly = await createApiKey(tdb.db, { scopes: ['read'] });
    expect((await post('/customers/new', {}, { 'X-API-Key': readOnly.key })).status).toBe(403);

    const revoked = await createApiKey(tdb.db, { workflowSlug: 'keyed-hook', scopes: ['webhook'] });
    expect((await post('/customers/new', {}, { 'X-API-Key': revoked.key })).status).toBe(202);
    await revokeApiKey(tdb.db, revoked.info.prefix);
    const after = await post('/customers/new', {}, { 'X-API-Key': revoked.key });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { message: string } }).error.message).toContain('revoked');
  });
});

describe('hmac authentication', () => {
  const sign = (secret: string, timestamp: number, body: string) =>
    `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  const signed = (secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) =>
    post('/signed-hook', body, { 'X-KhaosFlow-Signature': sign(secret, timestamp, body), 'X-KhaosFlow-Timestamp': String(timestamp) });

  it('accepts a signature over timestamp and body, and refuses a wrong or stale one', async () => {
    await node.services.vault.secrets.set('hook_secret', 'first-key');
    const body = JSON.stringify({ order: 7 });
    const ok = await signed('first-key', body);
    expect(ok.status).toBe(202);
    const row = await runRow(((await ok.json()) as { run_id: string }).run_id);
    expect(row!.trigger_data).toMatchObject({ data: { order: 7 } });
    expect(Object.keys((row!.trigger_data as { headers: object }).headers)).not.toContain('x-khaosflow-signature');

    expect((await signed('not-the-key', body)).status).toBe(401);
    const stale = await signed('first-key', body, Math.floor(Date.now() / 1000) - 600);
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: { message: string } }).error.message).toContain('away from the server');
    // A signature over another body does not carry over.
    const ts = Math.floor(Date.now() / 1000);
    const tampered = await post('/signed-hook', JSON.stringify({ order: 8 }), {
      'X-KhaosFlow-Signature': sign('first-key', ts, body),
      'X-KhaosFlow-Timestamp': String(ts),
    });
    expect(tampered.status).toBe(401);
    expect((await post('/signed-hook', body)).status).toBe(401);
  });

  it('accepts the old and the new key while the secret holds both (rotation)', async () => {
    await node.services.vault.secrets.set('hook_secret', 'second-key\nfirst-key');
    // Each request its own body: a signed request is accepted once (replays are refused).
    let n = 0;
    const body = () => JSON.stringify({ rotating: true, n: n++ });
    expect((await signed('second-key', body())).status).toBe(202);
    expect((await signed('first-key', body())).status).toBe(202);
    await node.services.vault.secrets.set('hook_secret', 'second-key');
    expect((await signed('first-key', body())).status).toBe(401);
    expect((await signed('second-key', body())).status).toBe(202);
  });

  it('refuses a captured request sent again inside the window (replay), also with the default message', async () => {
    await node.services.vault.secrets.set('hook_secret', 'first-key');
    const body = JSON.stringify({ replayed: Date.now() });
    const ts = Math.floor(Date.now() / 1000);
    expect((await signed('first-key', body, ts)).status).toBe(202);
    const replay = await signed('first-key', body, ts);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'replayed_signature',
      message: expect.stringContaining('already used'),
    });
  });

  it('answers 500 naming the secret to set when the webhook secret does not exist', async () => {
    const res = await post('/unsigned-hook', '{}', {
      'X-KhaosFlow-Signature': 'abc',
      'X-KhaosFlow-Timestamp': String(Math.floor(Date.now() / 1000)),
    });
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('khaosflow secrets set never_set');
    expect(await runsOf(tdb.db, 'unsigned-hook')).toHaveLength(0);
  });
});

describe('no authentication', () => {
  it('starts a run for anyone', async () => {
    const res = await post('/open-hook', { hello: 'world' });
    expect(res.status).toBe(202);
    expect(await runsOf(tdb.db, 'open-hook')).toHaveLength(1);
  });
});

describe("a caller's Idempotency-Key", () => {
  it('returns the run of the same credential only: another key with the same Idempotency-Key starts its own run', async () => {
    const alice = await createApiKey(tdb.db, { workflowSlug: 'keyed-hook', scopes: ['webhook'] });
    const mallory = await createApiKey(tdb.db, { workflowSlug: 'keyed-hook', scopes: ['webhook'] });
    const runOf = async (res: Response) => {
      expect(res.status).toBe(202);
      return ((await res.json()) as { run_id: string }).run_id;
    };
    const first = await runOf(await post('/customers/new', { secret: 'alice' }, { 'X-API-Key': alice.key, 'Idempotency-Key': 'order-1' }));
    expect(await runOf(await post('/customers/new', {}, { 'X-API-Key': alice.key, 'Idempotency-Key': 'order-1' }))).toBe(first);
    const other = await runOf(await post('/customers/new', {}, { 'X-API-Key': mallory.key, 'Idempotency-Key': 'order-1' }));
    expect(other).not.toBe(first);
  });
});

describe('hmac with a message template', () => {
  beforeAll(async () => {
    await node.services.vault.secrets.set('route_secret', 'route-key');
    await applyYaml(
      tdb.db,
      `
name: Route Signed
trigger:
  type: webhook
  authentication: { type: hmac, secret: route_secret, message: "{timestamp}.{method}.{path}.{query}.{body}" }
`,
    );
    await applyYaml(
      tdb.db,
      `
name: Body Signed
trigger:
  type: webhook
  authentication: { type: hmac, secret: route_secret, header: X-Signature, message: "{body}", encoding: base64 }
`,
    );
  });
  const at = () => Math.floor(Date.now() / 1000);
  const signRoute = (ts: number, path: string, query: string, body: string) =>
    createHmac('sha256', 'route-key').update(`${ts}.POST.${path}.${query}.${body}`).digest('hex');

  it('signs method, path and query: the signature does not carry over to another query or path', async () => {
    const body = '{"amount":5}';
    const ts = at();
    const ok = await post('/route-signed?account=1', body, {
      'X-KhaosFlow-Signature': signRoute(ts, '/hooks/route-signed', 'account=1', body),
      'X-KhaosFlow-Timestamp': String(ts),
    });
    expect(ok.status).toBe(202);
    const otherQuery = await post('/route-signed?account=2', body, {
      'X-KhaosFlow-Signature': signRoute(ts + 1, '/hooks/route-signed', 'account=1', body),
      'X-KhaosFlow-Timestamp': String(ts + 1),
    });
    expect(otherQuery.status).toBe(401);
    expect(((await otherQuery.json()) as { error: { message: string } }).error.message).toContain(
      'sign "<unix seconds>.{method}.{path}.{query}.<raw body>"',
    );
  });

  it('with message "{body}" needs no timestamp header and reads base64', async () => {
    const body = '{"plain":true}';
    const signature = createHmac('sha256', 'route-key').update(body).digest('base64');
    expect((await post('/body-signed', body, { 'X-Signature': signature })).status).toBe(202);
    const tampered = await post('/body-signed', body.replace('true', 'trUe'), { 'X-Signature': signature });
    expect(tampered.status).toBe(401);
  });

  it('refuses a signed request sent twice (replay inside the window)', async () => {
    const body = '{"once":true}';
    const ts = at();
    const headers = { 'X-KhaosFlow-Signature': signRoute(ts, '/hooks/route-signed', '', body), 'X-KhaosFlow-Timestamp': String(ts) };
    expect((await post('/route-signed', body, headers)).status).toBe(202);
    const replay = await post('/route-signed', body, headers);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('replayed_signature');
  });
});
