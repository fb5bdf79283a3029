// Secret values go in and never come out: a stored secret and a connection password,
// each a unique marker, are set, rotated, tested and used by runs (an HTTP step that
// sends the secret in a header to a server that echoes it back, a step that fails
// with the echo in its error, database steps on the connection), then every /api
// route and console page that lists, reads or changes them is called. No answer
// body, no log line and nothing the process writes to stdout or stderr may carry a
// marker, in any of the forms it travels in. Nothing returns a value by design.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { callApi, consoleSession, readEventStream, waitForRunEnd, type CallOptions } from '../helpers/api.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { tempDir } from '../triggers/helpers.js';

const SECRET = `sk_marker_${Math.random().toString(36).slice(2, 12)}_secret`;
const ROTATED = `${SECRET}_rotated`;
const PASSWORD = `pw_marker_${Math.random().toString(36).slice(2, 12)}_conn`;
const NEW_PASSWORD = `${PASSWORD}_new`;
const MARKER_ROLE = `kf_marker_${Math.random().toString(36).slice(2, 10)}`;
const markers = [SECRET, ROTATED, PASSWORD, NEW_PASSWORD];
/** Each marker as it could travel: as is, base64 (Basic auth), URL-encoded. */
const forms = markers.flatMap((m) => [
  m,
  Buffer.from(m).toString('base64'),
  Buffer.from(`user:${m}`).toString('base64'),
  encodeURIComponent(`${m}/+`),
]);

let tdb: TestDatabase;
let node: TestNode;
let remote: http.Server;
let remoteUrl: string;
let writer: string;
let admin: string;
const received: string[] = [];
const logs: string[] = [];
const printed: string[] = [];
/** Every answer body, labelled with the request that produced it. */
const answers: Array<{ label: string; text: string }> = [];
const restore: Array<() => void> = [];

/** Captures what anything in this process writes to stdout/stderr, still passing it on. */
function capture(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
  restore.push(() => {
    stream.write = write as typeof stream.write;
  });
}

async function call(method: string, path: string, opts: CallOptions = { key: writer }) {
  const res = await callApi(node.baseUrl, method, path, opts);
  answers.push({ label: `${method} ${path}`, text: `${JSON.stringify(Object.fromEntries(res.headers))}\n${res.text}` });
  return res;
}

const asAdmin = (): CallOptions => ({ cookie: admin, origin: node.baseUrl });

beforeAll(async () => {
  capture(process.stdout);
  capture(process.stderr);
  remote = http.createServer((req, res) => {
    received.push(String(req.headers.authorization));
    // A careless API that echoes the credentials back, in a success and in a refusal.
    res.statusCode = req.url?.startsWith('/refuse') ? 400 : 200;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ you_sent: req.headers.authorization, basic: req.headers['x-basic'] }));
  });
  await new Promise<void>((r) => remote.listen(0, '127.0.0.1', r));
  remoteUrl = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;
  tdb = await createTestDatabase();
  // A login whose password is the marker: where Postgres checks passwords (the embedded
  // default does), a connection test passes only with the right one.
  await tdb.pool.query(`create role ${MARKER_ROLE} login password '${PASSWORD}'`);
  await tdb.pool.query(`grant usage on schema khaosflow to ${MARKER_ROLE}`);
  await tdb.pool.query(`grant select on khaosflow.runs to ${MARKER_ROLE}`);
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: true,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-values-') },
    logSink: (line) => logs.push(line),
  });
  writer = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
  admin = await consoleSession(tdb.db, 'admin');
});
afterAll(async () => {
  for (const undo of restore) undo();
  await node?.stop();
  await tdb?.pool.query(`drop owned by ${MARKER_ROLE}; drop role if exists ${MARKER_ROLE}`).catch(() => undefined);
  await tdb?.drop();
  await new Promise((r) => remote?.close(r));
});

/** The test database's URL as `user` (by default the marker's login) with `password`. */
function databaseUrl(password: string, user = MARKER_ROLE): string {
  const u = new URL(tdb.url);
  u.username = user;
  u.password = password;
  return u.toString();
}

const WORKFLOW = (remote: string) => `
name: Partner Sync
steps:
  - name: Call Partner
    action:
      type: http_request
      method: POST
      url: "${remote}/orders"
      headers:
        Authorization: "Bearer {{secrets.partner_token}}"
        X-Basic: "Basic {{base64('user:' & secrets.partner_token)}}"
      body:
        note: "token {{url_encode(secrets.partner_token & '/+')}}"
  - name: Count Runs
    action:
      type: database_query
      connection: warehouse
      query: select count(*) as n from khaosflow.runs
  - name: Log Echo
    action: { type: log, level: error, message: "partner saw {{steps.call_partner.result.body.you_sent}}" }
  - name: Refused Call
    action:
      type: http_request
      method: POST
      url: "${remote}/refuse"
      headers:
        Authorization: "Bearer {{secrets.partner_token}}"
`;

const FAILING_QUERY = `
name: Broken Query
steps:
  - name: Missing Table
    action:
      type: database_query
      connection: warehouse
      query: select * from no_such_table
`;

describe('secret values', () => {
  it('never appear in any answer, log line or console output, through every route that touches them', async () => {
    // Secrets: set, list, rotate.
    expect((await call('PUT', '/api/secrets/partner_token', { key: writer, json: { value: SECRET } })).status).toBe(200);
    expect((await call('GET', '/api/secrets')).status).toBe(200);
    expect((await call('PUT', '/api/secrets/partner_token', { key: writer, json: { value: ROTATED } })).status).toBe(200);
    expect((await call('PUT', '/api/secrets/spare', { key: writer, json: { value: SECRET } })).status).toBe(200);
    expect((await call('DELETE', '/api/secrets/spare')).status).toBe(204);

    // Connections: test before saving, save, list, test saved, keep the password with ***, change it.
    expect((await call('POST', '/api/connections/test', { ...asAdmin(), json: { url: databaseUrl(PASSWORD) } })).json.ok).toBe(true);
    expect(
      (await call('POST', '/api/connections/test', { key: writer, json: { url: databaseUrl(PASSWORD, 'kf_no_such_user') } })).status,
    ).toBe(200);
    expect((await call('POST', '/api/connections', { key: writer, json: { name: 'warehouse', url: databaseUrl(PASSWORD) } })).status).toBe(
      201,
    );
    expect((await call('GET', '/api/connections')).status).toBe(200);
    expect((await call('GET', '/api/connections', { cookie: admin })).status).toBe(200);
    expect((await call('POST', '/api/connections/warehouse/test', asAdmin())).json.ok).toBe(true);
    expect((await call('PUT', '/api/connections/warehouse', { key: writer, json: { url: databaseUrl('***') } })).status).toBe(200);
    await tdb.pool.query(`alter role ${MARKER_ROLE} password '${NEW_PASSWORD}'`);
    expect((await call('PUT', '/api/connections/warehouse', { ...asAdmin(), json: { url: databaseUrl(NEW_PASSWORD) } })).status).toBe(200);
    expect((await call('POST', '/api/connections/warehouse/test')).json.ok).toBe(true);
    expect((await call('POST', '/api/connections', { key: writer, json: { name: 'spare_db', url: databaseUrl(PASSWORD) } })).status).toBe(
      201,
    );
    expect((await call('DELETE', '/api/connections/spare_db')).status).toBe(200);

    // Runs that use both: one ends failed on the echoing refusal, one on a database error.
    expect((await call('POST', '/api/workflows', { key: writer, yaml: WORKFLOW(remoteUrl) })).status).toBe(201);
    expect((await call('POST', '/api/workflows', { key: writer, yaml: FAILING_QUERY })).status).toBe(201);
    const started = await call('POST', '/api/workflows/partner-sync/runs', { key: writer, json: { data: {} } });
    const runId = started.json.run_id as string;
    const run = await waitForRunEnd(node.baseUrl, writer, runId);
    expect(run.status).toBe('failed');
    // The partner really got the value, so the marker did travel through the engine.
    expect(received[0]).toBe(`Bearer ${ROTATED}`);
    const steps = run.steps as Array<{ name: string; status: string; error: unknown }>;
    expect(steps.find((s) => s.name === 'Count Runs')?.status).toBe('succeeded');
    // The refusal's error quotes the echo, redacted.
    expect(JSON.stringify(steps.find((s) => s.name === 'Refused Call')?.error)).toContain('Bearer ***');
    const broken = (await call('POST', '/api/workflows/broken-query/runs', { key: writer, json: { data: {} } })).json.run_id as string;
    expect((await waitForRunEnd(node.baseUrl, writer, broken)).status).toBe('failed');
    const draft = await call('POST', '/api/workflows/test', { key: writer, json: { yaml: WORKFLOW(remoteUrl), data: {} } });
    await waitForRunEnd(node.baseUrl, writer, draft.json.run_id);
    const retried = await call('POST', `/api/runs/${runId}/retry`, { key: writer, json: {} });
    expect(retried.status).toBeLessThan(300);
    await waitForRunEnd(node.baseUrl, writer, retried.json.run_id);

    // Everything that shows runs, steps and errors, over the API and in the console.
    for (const path of [
      `/api/runs/${runId}`,
      `/api/runs/${broken}`,
      `/api/runs/${retried.json.run_id}`,
      '/api/runs',
      '/api/runs?status=failed',
      `/api/runs?q=${encodeURIComponent('partner')}`,
      '/api/stats?window=24h',
      '/api/workflows/partner-sync',
      '/api/workflows/partner-sync/versions/1',
      '/api/variables',
      '/api/keys',
    ]) {
      expect((await call('GET', path)).status, path).toBe(200);
    }
    const events = await readEventStream(`${node.baseUrl}/api/runs/${runId}/events`, { authorization: `Bearer ${writer}` });
    answers.push({ label: 'GET events', text: JSON.stringify(events.events) });
    expect(events.events.length).toBeGreaterThan(0);
    for (const page of ['/', '/runs', `/runs/${runId}`, `/runs/${broken}`, '/secrets', '/connections', '/workflows/partner-sync']) {
      const res = await call('GET', page, { cookie: admin });
      expect(res.status, page).toBe(200);
    }

    const logText = logs.join('\n');
    const printedText = printed.join('');
    // The echo did reach the log, redacted.
    expect(logText).toContain('partner saw Bearer ***');
    for (const form of forms) {
      for (const a of answers) expect(a.text, `${a.label} answered ${form}`).not.toContain(form);
      expect(logText, `a log line holds ${form}`).not.toContain(form);
      expect(printedText, `stdout/stderr holds ${form}`).not.toContain(form);
    }
  });
});
