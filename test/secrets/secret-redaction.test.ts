// A secret sent in an HTTP header reaches the remote server, and nowhere else: not in
// any table of the database, not in the log output, not in the API's answers - in
// none of the forms it travels in (as is, base64, URL-encoded).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyWorkflow } from '../../db/queries/workflow-store.js';
import { createApiKey } from '../../server/api-keys/store.js';
import { triggerRun } from '../../server/queue/enqueue-run.js';
import { parseWorkflow } from '../../server/workflow/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';

const SECRET = 'sk_live_7Hq2xZ9pW4mN8vR3tY6';
const forms = [
  SECRET,
  Buffer.from(SECRET).toString('base64'),
  Buffer.from(`user:${SECRET}`).toString('base64'),
  encodeURIComponent(`${SECRET}/+=`),
];

let tdb: TestDatabase;
let node: TestNode;
let remote: http.Server;
let remoteUrl: string;
const received: Array<Record<string, string | string[] | undefined>> = [];
const logs: string[] = [];

beforeAll(async () => {
  remote = http.createServer((req, res) => {
    received.push(req.headers);
    // A careless API that echoes the credentials back in its answer.
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true, you_sent: req.headers.authorization, basic: req.headers['x-basic'] }));
  });
  await new Promise<void>((r) => remote.listen(0, '127.0.0.1', r));
  remoteUrl = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    env: { KHAOSFLOW_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'kf-secret-')) },
    logSink: (line) => logs.push(line),
  });
  await node.services.vault.secrets.set('api_token', SECRET);
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
  await new Promise((r) => remote.close(r));
});

async function dumpDatabase(): Promise<string> {
  const { rows: tables } = await tdb.pool.query<{ s: string; t: string }>(
    "select table_schema as s, table_name as t from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')",
  );
  let dump = '';
  for (const { s, t } of tables) {
    const { rows } = await tdb.pool.query(`select x::text as row from "${s}"."${t}" x`);
    dump += rows.map((r: { row: string }) => r.row).join('\n');
  }
  return dump;
}

describe('secrets stay secret', () => {
  it('never stores, logs or returns a secret used in a request header', async () => {
    const yaml = `
name: Call Partner
steps:
  - name: Call API
    action:
      type: http_request
      method: POST
      url: "${remoteUrl}/orders"
      headers:
        Authorization: "Bearer {{secrets.api_token}}"
        X-Basic: "Basic {{base64('user:' & secrets.api_token)}}"
      body:
        note: "token {{url_encode(secrets.api_token & '/+=')}}"
  - name: Log It
    action: { type: log, level: error, message: "sent {{secrets.api_token}} / {{steps.call_api.result.body.you_sent}}" }
`;
    const parsed = parseWorkflow(yaml, { file: 'call.yaml' });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    await applyWorkflow(node.services.db, { definition: parsed.workflow, source: yaml });
    const runId = await triggerRun(node.services.pool, 'call-partner', 'manual', { data: {} });
    await expect
      .poll(async () => (await tdb.pool.query('select status from khaosflow.runs where id = $1', [runId])).rows[0].status, {
        timeout: 30_000,
      })
      .toBe('succeeded');

    // The remote side got the real value.
    expect(received[0]!.authorization).toBe(`Bearer ${SECRET}`);

    const { key } = await createApiKey(node.services.db, { scopes: ['read'] });
    const api = await (await fetch(`${node.baseUrl}/api/runs/${runId}`, { headers: { Authorization: `Bearer ${key}` } })).text();
    expect(api).toContain('Bearer ***');

    const dump = await dumpDatabase();
    expect(dump).toContain('Bearer ***');
    const logText = logs.join('\n');
    for (const form of forms) {
      expect(dump, `database holds ${form}`).not.toContain(form);
      expect(api, `API returns ${form}`).not.toContain(form);
      expect(logText, `logs contain ${form}`).not.toContain(form);
    }
  });
});
