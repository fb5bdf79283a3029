// Test runs from the editor: a draft (YAML not saved) or the stored workflow runs once
// through the real queue and executor as trigger_kind `test`, without adding a version,
// listing the draft or arming its trigger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentWorkflows } from '../../db/queries/workflow-store.js';
import { createApiKey } from '../../server/api-keys/store.js';
import { callApi, waitForRunEnd } from '../helpers/api.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let writer: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: true,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-test-runs-') },
  });
  writer = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const api = (method: string, path: string, opts: Parameters<typeof callApi>[3] = {}) =>
  callApi(node.baseUrl, method, path, { key: writer, ...opts });

const DRAFT = `# not saved yet
name: Greeter
trigger: { type: webhook, path: /greet }
steps:
  - name: Shape
    action: { type: log, message: "hello {{trigger.data.who}}" }
  - name: Shout
    action: { type: log, message: "{{ $uppercase(steps.shape.result.message) }}" }
`;

describe('testing a draft', () => {
  it('runs the draft once with the sample data as a test run, readable like any other', async () => {
    const started = await api('POST', '/api/workflows/test', { json: { yaml: DRAFT, data: { who: 'ada' } } });
    expect(started.status).toBe(202);
    expect(started.json).toEqual({ run_id: expect.any(String) });
    const run = await waitForRunEnd(node.baseUrl, writer, started.json.run_id);
    expect(run).toMatchObject({
      status: 'succeeded',
      trigger_kind: 'test',
      workflow: { slug: 'greeter' },
      output: { message: 'HELLO ADA' },
    });
    expect(run.trigger).toMatchObject({ data: { who: 'ada' }, started_by: expect.stringMatching(/^api-key:/) });
    expect(run.steps.map((s: { slug: string; status: string }) => [s.slug, s.status])).toEqual([
      ['shape', 'succeeded'],
      ['shout', 'succeeded'],
    ]);
  });

  it('stores no version, lists nothing and arms no trigger for a draft', async () => {
    expect((await api('GET', '/api/workflows/greeter')).status).toBe(404);
    expect((await api('GET', '/api/workflows/greeter/versions')).status).toBe(404);
    expect((await api('GET', '/api/workflows')).json.workflows.map((w: { slug: string }) => w.slug)).not.toContain('greeter');
    expect((await currentWorkflows(tdb.db)).map((w) => w.slug)).not.toContain('greeter');
    expect((await api('POST', '/api/workflows/greeter/enable')).status).toBe(404);
    expect((await api('DELETE', '/api/workflows/greeter')).status).toBe(404);
    const hook = await fetch(`${node.baseUrl}/hooks/greet`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(hook.status).toBe(404);
  });

  it('lets the tested workflow be created afterwards as version 1, keeping its test runs in its history', async () => {
    const created = await api('POST', '/api/workflows', { yaml: DRAFT });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ slug: 'greeter', version: 1 });
    const versions = await api('GET', '/api/workflows/greeter/versions');
    expect(versions.json.versions.map((v: { version: number }) => v.version)).toEqual([1]);
    const runs = await api('GET', '/api/runs?workflow=greeter');
    expect(runs.json.runs.map((r: { trigger_kind: string }) => r.trigger_kind)).toEqual(['test']);
    const hook = await fetch(`${node.baseUrl}/hooks/greet`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"who":"bob"}',
    });
    expect(hook.status).toBe(202);
  });

  it('tests a changed draft of a saved workflow without adding a version or changing the current one', async () => {
    const changed = DRAFT.replace('message: "hello ', 'message: "goodbye ');
    const started = await api('POST', '/api/workflows/test', { json: { yaml: changed, data: { who: 'cy' } } });
    expect(started.status).toBe(202);
    const run = await waitForRunEnd(node.baseUrl, writer, started.json.run_id);
    expect(run.output.message).toBe('GOODBYE CY');
    const versions = await api('GET', '/api/workflows/greeter/versions');
    expect(versions.json.versions.map((v: { version: number }) => v.version)).toEqual([1]);
    expect((await api('GET', '/api/workflows/greeter')).json).toMatchObject({ version: 1 });
    expect((await api('GET', '/api/workflows/greeter/versions/1')).text).toBe(DRAFT);
    const unchanged = await api('POST', '/api/workflows/test', { json: { yaml: DRAFT, data: { who: 'dan' } } });
    expect((await waitForRunEnd(node.baseUrl, writer, unchanged.json.run_id)).version).toBe(1);
    // The next save is version 2: drafts leave no gap in the numbering.
    expect((await api('PUT', '/api/workflows/greeter', { yaml: changed })).json).toEqual({ slug: 'greeter', version: 2 });
  });

  it('answers 422 with the problems at their line and column, as validate does', async () => {
    const broken = DRAFT.replace('{ type: log, message: "{{', '{ type: no_such_action, message: "{{');
    const refused = await api('POST', '/api/workflows/test', { json: { yaml: broken, data: {} } });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toBe('invalid_workflow');
    const validated = await api('POST', '/api/workflows/validate', { yaml: broken });
    expect(refused.json.problems).toEqual(validated.json.problems);
    expect(refused.json.problems[0]).toMatchObject({
      line: 8,
      col: expect.any(Number),
      message: expect.stringContaining('no_such_action'),
    });
    expect((await api('POST', '/api/workflows/test', { json: { data: {} } })).status).toBe(400);
  });
});

describe('testing a stored workflow', () => {
  it('runs the current version with the given data', async () => {
    const started = await api('POST', '/api/workflows/greeter/test', { json: { data: { who: 'dee' } } });
    expect(started.status).toBe(202);
    const run = await waitForRunEnd(node.baseUrl, writer, started.json.run_id);
    expect(run).toMatchObject({ status: 'succeeded', trigger_kind: 'test', version: 2, output: { message: 'GOODBYE DEE' } });
  });

  it('uses the newest captured webhook sample when no data is given, else {}', async () => {
    const bare = await api('POST', '/api/workflows/greeter/test');
    const empty = await waitForRunEnd(node.baseUrl, writer, bare.json.run_id);
    expect(empty.trigger.data).toEqual({});
    expect((await api('POST', '/api/workflows/greeter/listen')).status).toBe(200);
    const captured = await fetch(`${node.baseUrl}/hooks-test/greet?from=sample`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"who":"eve"}',
    });
    expect(captured.status).toBeLessThan(300);
    const started = await api('POST', '/api/workflows/greeter/test', { json: {} });
    const run = await waitForRunEnd(node.baseUrl, writer, started.json.run_id);
    expect(run.output.message).toBe('GOODBYE EVE');
    expect(run.trigger).toMatchObject({ data: { who: 'eve' }, query: { from: 'sample' }, method: 'POST' });
  });

  it('answers 404 for a workflow that does not exist', async () => {
    expect((await api('POST', '/api/workflows/nope/test', { json: {} })).status).toBe(404);
  });
});
