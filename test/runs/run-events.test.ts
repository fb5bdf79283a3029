// GET /api/runs/<id>/events: a run's step and status changes as server-sent events,
// read by a real HTTP client while the run is in flight; a late subscriber gets what
// already happened; the stream closes when the run ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { isAwaited } from '../../server/core/run-endings.js';
import { callApi, readEventStream, waitForRunEnd, type SseEvent } from '../helpers/api.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { gate } from '../helpers/test-actions.js';
import { tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let key: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: true,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-run-events-') },
  });
  key = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const workflow = (gateName: string) => `name: Live ${gateName}
steps:
  - name: Record
    action: { type: test_ledger, entry: "{{trigger.data.entry}}" }
  - name: Hold
    action: { type: test_block, gate: ${gateName} }
  - name: Finish
    action: { type: log, message: done }
`;

async function startTest(gateName: string): Promise<string> {
  const started = await callApi(node.baseUrl, 'POST', '/api/workflows/test', {
    key,
    json: { yaml: workflow(gateName), data: { entry: gateName } },
  });
  expect(started.status).toBe(202);
  return started.json.run_id;
}

const summary = (events: SseEvent[]) => events.map((e) => (e.event === 'run' ? `run ${e.data.status}` : `${e.data.step} ${e.data.status}`));

describe('run events', () => {
  it('streams each step as it changes and closes when the run ends', async () => {
    const runId = await startTest('live-a');
    const hold = gate('live-a');
    // The step waits for the test to release it, which happens only after the stream
    // told the test it is running: the events arrive while the run is in flight.
    const stream = await readEventStream(`${node.baseUrl}/api/runs/${runId}/events`, { authorization: `Bearer ${key}` }, (e) => {
      if (e.event === 'step' && e.data.step === 'hold' && e.data.status === 'running') hold.release();
    });
    expect(stream.status).toBe(200);
    expect(stream.type).toMatch(/^text\/event-stream/);
    const seen = summary(stream.events);
    expect(seen[0]).toMatch(/^run (queued|running)$/);
    expect(seen.at(-1)).toBe('run succeeded');
    expect(seen.filter((s) => s.startsWith('run '))).toEqual(expect.arrayContaining(['run running', 'run succeeded']));
    const steps = seen.filter((s) => !s.startsWith('run '));
    expect(steps).toEqual(['record succeeded', 'hold running', 'hold succeeded', 'finish succeeded']);
    const finished = stream.events.find((e) => e.event === 'step' && e.data.step === 'hold' && e.data.status === 'succeeded')!;
    expect(finished.data).toMatchObject({ duration_ms: expect.any(Number), error: null, attempt: 1, output: { value: null } });
  });

  it('gives a late subscriber the steps already done, then closes at once for an ended run', async () => {
    const runId = await startTest('late-b');
    gate('late-b').release();
    await waitForRunEnd(node.baseUrl, key, runId);
    const stream = await readEventStream(`${node.baseUrl}/api/runs/${runId}/events`, { authorization: `Bearer ${key}` });
    expect(summary(stream.events)).toEqual(['record succeeded', 'hold succeeded', 'finish succeeded', 'run succeeded']);
    expect(stream.events.at(-1)!.data).toMatchObject({ id: runId, status: 'succeeded', error: null, finished_at: expect.any(String) });
  });

  it('reports a failed step with its error and the run as failed', async () => {
    const yaml = 'name: Breaks\nsteps:\n  - name: Explode\n    action: { type: test_fail, times: 5, kind: fatal, message: kaboom }\n';
    const started = await callApi(node.baseUrl, 'POST', '/api/workflows/test', { key, json: { yaml, data: {} } });
    const stream = await readEventStream(`${node.baseUrl}/api/runs/${started.json.run_id}/events`, { authorization: `Bearer ${key}` });
    const last = stream.events.at(-1)!;
    expect(last).toMatchObject({
      event: 'run',
      data: { status: 'failed', error: expect.objectContaining({ message: expect.stringContaining('kaboom') }) },
    });
    const step = stream.events.find((e) => e.event === 'step')!;
    expect(step.data).toMatchObject({ step: 'explode', status: 'failed', error: expect.objectContaining({ message: 'kaboom' }) });
  });

  it('stops watching the run when the client goes away', async () => {
    const runId = await startTest('gone-c');
    const client = new AbortController();
    const res = await fetch(`${node.baseUrl}/api/runs/${runId}/events`, {
      headers: { authorization: `Bearer ${key}` },
      signal: client.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    expect(isAwaited(runId)).toBe(true);
    client.abort();
    await expect.poll(() => isAwaited(runId), { timeout: 10_000, interval: 20 }).toBe(false);
    gate('gone-c').release();
    expect((await waitForRunEnd(node.baseUrl, key, runId)).status).toBe('succeeded');
  });

  it('answers 404 (JSON) for an unknown run and 401 without a key', async () => {
    const missing = await callApi(node.baseUrl, 'GET', '/api/runs/0190c0de-0000-7000-8000-000000000000/events', { key });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('not_found');
    expect((await callApi(node.baseUrl, 'GET', '/api/runs/0190c0de-0000-7000-8000-000000000000/events')).status).toBe(401);
  });

  // Last: it stops the node.
  it('ends open streams when the node shuts down, so shutdown does not wait for them', async () => {
    const runId = await startTest('shutdown-d');
    const res = await fetch(`${node.baseUrl}/api/runs/${runId}/events`, { headers: { authorization: `Bearer ${key}` } });
    const reader = res.body!.getReader();
    await reader.read();
    const stopping = node.stop();
    for (;;) if ((await reader.read()).done) break;
    gate('shutdown-d').release();
    await stopping;
  });
});
