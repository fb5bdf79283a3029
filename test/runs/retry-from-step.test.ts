// "Re-run from here": POST /api/runs/<id>/retry {"from_step"} starts a new run that
// carries over the outputs of the steps before that step - they are not executed
// again (their side effects are counted) - and runs from it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { callApi, waitForRunEnd } from '../helpers/api.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { createLedger } from '../helpers/test-actions.js';
import { tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let key: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  await createLedger(tdb.pool);
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: true,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-retry-from-') },
  });
  key = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const api = (method: string, path: string, json?: unknown) =>
  callApi(node.baseUrl, method, path, { key, ...(json === undefined ? {} : { json }) });

/** What each run's steps did outside the run: ledger entries in order, with their values. */
async function ledger(runId: string): Promise<[string, unknown][]> {
  const { rows } = await tdb.pool.query<{ entry: string; value: unknown }>(
    'select entry, value from public.test_ledger where run_id = $1 order by id',
    [runId],
  );
  return rows.map((r) => [r.entry, r.value]);
}

async function testRun(yaml: string, data: unknown = {}): Promise<any> {
  const started = await api('POST', '/api/workflows/test', { yaml, data });
  expect(started.status).toBe(202);
  return waitForRunEnd(node.baseUrl, key, started.json.run_id);
}

async function retry(runId: string, body: unknown): Promise<any> {
  const res = await api('POST', `/api/runs/${runId}/retry`, body);
  expect(res.status).toBe(201);
  expect(res.json).toEqual({ run_id: expect.any(String), retry_of: runId });
  return waitForRunEnd(node.baseUrl, key, res.json.run_id);
}

const CHAIN = `name: Chain
steps:
  - name: One
    action: { type: test_ledger, entry: one, value: "{{trigger.data.seed}}" }
  - name: Two
    action: { type: test_ledger, entry: two, value: "{{steps.one.result.entry}}-2" }
  - name: Three
    action: { type: test_ledger, entry: three, value: "{{steps.one.result.entry}}+{{steps.two.result.entry}}" }
`;

describe('re-running from a step', () => {
  it('runs only the chosen step and those after it, with the earlier outputs visible', async () => {
    const first = await testRun(CHAIN, { seed: 7 });
    expect(first.status).toBe('succeeded');
    expect(await ledger(first.id)).toEqual([
      ['one', 7],
      ['two', 'one-2'],
      ['three', 'one+two'],
    ]);
    const fromThree = await retry(first.id, { from_step: 'three' });
    expect(fromThree).toMatchObject({ status: 'succeeded', retry_of: first.id, trigger_kind: 'test' });
    expect(await ledger(fromThree.id)).toEqual([['three', 'one+two']]);
    expect(fromThree.steps.map((s: any) => [s.slug, s.carried_over])).toEqual([
      ['one', true],
      ['two', true],
      ['three', false],
    ]);
    const fromTwo = await retry(fromThree.id, { from_step: 'two' });
    expect(await ledger(fromTwo.id)).toEqual([
      ['two', 'one-2'],
      ['three', 'one+two'],
    ]);
  });

  it('re-runs a loop around the step, keeping in each iteration the steps before it', async () => {
    const yaml = `name: Each
steps:
  - name: Start
    action: { type: test_ledger, entry: start }
  - name: Each Item
    loop:
      over: "{{trigger.data.items}}"
      steps:
        - name: Fetch
          action: { type: test_ledger, entry: fetch, value: "{{item}}" }
        - name: Store
          action: { type: test_ledger, entry: store, value: "{{steps.fetch.result.entry}} {{item}}" }
`;
    const first = await testRun(yaml, { items: ['a', 'b'] });
    expect(first.status).toBe('succeeded');
    const again = await retry(first.id, { from_step: 'store' });
    expect(again.status).toBe('succeeded');
    expect(await ledger(again.id)).toEqual([
      ['store', 'fetch a'],
      ['store', 'fetch b'],
    ]);
  });

  it('refuses a step the workflow does not have with 422, naming the steps there are', async () => {
    const first = await testRun(CHAIN, { seed: 1 });
    const refused = await api('POST', `/api/runs/${first.id}/retry`, { from_step: 'four' });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({ code: 'unknown_step', message: expect.stringContaining('one, two, three') });
    expect((await api('POST', `/api/runs/${first.id}/retry`, { from_step: 3 })).status).toBe(400);
  });

  it('keeps the old behaviour without from_step: the failed step and those after it run again', async () => {
    const yaml = `name: Flaky
steps:
  - name: Before
    action: { type: test_ledger, entry: before }
  - name: Fails
    action: { type: test_fail, times: 1, kind: fatal, key: "{{trigger.data.key}}" }
  - name: After
    action: { type: test_ledger, entry: after }
`;
    const first = await testRun(yaml, { key: `flaky-${Date.now()}` });
    expect(first.status).toBe('failed');
    const again = await retry(first.id, {});
    expect(again.status).toBe('succeeded');
    expect(await ledger(again.id)).toEqual([['after', null]]);
  });
});
