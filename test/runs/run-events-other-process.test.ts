// The live view works for a run executed by another process: the HTTP node here runs
// no worker; a separate `khaosflow worker` process (with the test actions) executes
// the run, and the event stream still shows each step as it changes.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { projectRoot } from '../../server/paths.js';
import { callApi, readEventStream } from '../helpers/api.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { createLedger } from '../helpers/test-actions.js';
import { tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let key: string;
let worker: ReturnType<typeof spawn>;
let exited: Promise<void>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  await createLedger(tdb.pool);
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: false,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-events-remote-') },
  });
  key = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
  worker = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'test/fixtures/test-worker.ts')], {
    env: { ...process.env, DATABASE_URL: tdb.url, LOG_LEVEL: 'warn', KHAOSFLOW_HOME: tempDir('kf-events-worker-') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  exited = new Promise((resolve) => worker.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    worker.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('test worker ready')) resolve();
    });
    worker.on('exit', (code) => reject(new Error(`the worker exited (${code}) before it was ready`)));
  });
}, 60_000);
afterAll(async () => {
  worker?.kill('SIGTERM');
  await exited;
  await node?.stop();
  await tdb?.drop();
});

describe('run events of a run in another process', () => {
  it('streams the steps and the run status as the other process executes them', async () => {
    const yaml = `name: Remote
steps:
  - name: Record
    action: { type: test_ledger, entry: remote }
  - name: Slow
    action: { type: test_sleep, ms: 2000 }
  - name: Finish
    action: { type: log, message: done }
`;
    const started = await callApi(node.baseUrl, 'POST', '/api/workflows/test', { key, json: { yaml, data: {} } });
    expect(started.status).toBe(202);
    const stream = await readEventStream(`${node.baseUrl}/api/runs/${started.json.run_id}/events`, { authorization: `Bearer ${key}` });
    const seen = stream.events.map((e) => (e.event === 'run' ? `run ${e.data.status}` : `${e.data.step} ${e.data.status}`));
    expect(seen.filter((s) => !s.startsWith('run '))).toEqual(['record succeeded', 'slow running', 'slow succeeded', 'finish succeeded']);
    expect(seen[0]).toMatch(/^run (queued|running)$/);
    expect(seen.at(-1)).toBe('run succeeded');
    const { rows } = await tdb.pool.query('select count(*)::int as n from public.test_ledger where run_id = $1', [started.json.run_id]);
    expect(rows[0].n).toBe(1);
  });
});
