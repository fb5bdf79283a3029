// Manual runs and the workflow API the console's run button uses: parameters checked
// against the trigger's declarations, trigger summaries, enable and disable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTriggerProblem } from '../../db/queries/trigger-problems.js';
import { createApiKey } from '../../server/api-keys/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { applyYaml, BACKUP_WORKFLOW, runsOf, tempDir } from './helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let key: string;
beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: false,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-manual-') },
  });
  key = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
  await applyYaml(tdb.db, BACKUP_WORKFLOW);
  await applyYaml(tdb.db, 'name: Order Hook\ntrigger: { type: webhook, path: /orders/new }\n');
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const api = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; key?: string | null } = {}) =>
  fetch(`${node.baseUrl}/api/workflows${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      'content-type': 'application/json',
      ...(init.key === null ? {} : { authorization: `Bearer ${init.key ?? key}` }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });

describe('manual runs', () => {
  it('starts a run with checked parameters (defaults applied, form text coerced) as trigger.data', async () => {
    const res = await api('/backup/runs', { body: { parameters: { environment: 'prod', dry_run: 'true' } } });
    expect(res.status).toBe(202);
    const { run_id } = (await res.json()) as { run_id: string };
    expect(res.headers.get('location')).toBe(`/api/runs/${run_id}`);
    const [run] = await runsOf(tdb.db, 'backup');
    expect(run).toMatchObject({
      id: run_id,
      trigger_kind: 'manual',
      trigger_data: { data: { environment: 'prod', copies: 1, dry_run: true } },
    });
  });

  it('answers 422 with an error per field for parameters that do not fit', async () => {
    const res = await api('/backup/runs', { body: { parameters: { environment: 'qa', copies: 'many', colour: 'red' } } });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; details: { fields: Record<string, string> } } };
    expect(body.error.code).toBe('invalid_parameters');
    expect(body.error.details.fields).toEqual({
      environment: 'must be one of dev, staging, prod',
      copies: 'must be a number',
      colour: expect.stringContaining('is not a parameter of this workflow'),
    });
    const missing = await api('/backup/runs', { body: {} });
    expect(((await missing.json()) as { error: { details: { fields: object } } }).error.details.fields).toEqual({
      environment: 'is required',
    });
  });

  it('starts workflows without a manual trigger with the given data, and deduplicates by Idempotency-Key', async () => {
    const first = await api('/order-hook/runs', { body: { data: { id: 7 } }, headers: { 'Idempotency-Key': 'try-1' } });
    const again = await api('/order-hook/runs', { body: { data: { id: 7 } }, headers: { 'Idempotency-Key': 'try-1' } });
    expect(first.status).toBe(202);
    expect(((await again.json()) as { run_id: string }).run_id).toBe(((await first.json()) as { run_id: string }).run_id);
    expect(await runsOf(tdb.db, 'order-hook')).toMatchObject([{ trigger_kind: 'manual', trigger_data: { data: { id: 7 } } }]);
  });

  it('needs a key with the write scope', async () => {
    expect((await api('/backup/runs', { body: { parameters: { environment: 'dev' } }, key: null })).status).toBe(401);
    const reader = (await createApiKey(tdb.db, { scopes: ['read'] })).key;
    expect((await api('/backup/runs', { body: { parameters: { environment: 'dev' } }, key: reader })).status).toBe(403);
    expect((await api('/nope/runs', { body: {} })).status).toBe(404);
  });
});

describe('workflow API', () => {
  it('lists workflows with what the console needs to show their trigger', async () => {
    const res = await api('/');
    expect(res.status).toBe(200);
    const { workflows } = (await res.json()) as { workflows: Array<{ slug: string; trigger: Record<string, unknown> }> };
    expect(workflows.map((w) => w.slug)).toEqual(['backup', 'order-hook']);
    expect(workflows[0]).toEqual({
      slug: 'backup',
      name: 'Backup',
      description: 'Copies the database somewhere safe',
      enabled: true,
      version: 1,
      trigger: {
        type: 'manual',
        button_label: 'Run Backup',
        confirmation: 'Back up now?',
        parameters: [
          { name: 'environment', type: 'select', options: ['dev', 'staging', 'prod'], required: true },
          { name: 'copies', type: 'number', default: 1, required: false },
          { name: 'dry_run', type: 'boolean', required: false },
        ],
      },
    });
    expect(workflows[1]!.trigger).toMatchObject({
      type: 'webhook',
      method: 'POST',
      path: '/orders/new',
      hook_url: '/hooks/orders/new',
      authentication: 'none',
    });
    expect((await api('/order-hook')).status).toBe(200);
    expect((await api('/missing')).status).toBe(404);
  });

  it('disables and enables a workflow; a disabled one starts no runs', async () => {
    const off = await api('/backup/disable', { method: 'POST' });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ slug: 'backup', enabled: false });
    const refused = await api('/backup/runs', { body: { parameters: { environment: 'dev' } } });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('disabled');
    expect(await (await api('/backup/enable', { method: 'POST' })).json()).toMatchObject({ enabled: true });
    expect((await api('/backup/runs', { body: { parameters: { environment: 'dev' } } })).status).toBe(202);
  });

  it('shows why a trigger is not listening while a problem is recorded, and nothing once it is cleared', async () => {
    const { id } = await tdb.db.selectFrom('khaosflow.workflows').select('id').where('slug', '=', 'order-hook').executeTakeFirstOrThrow();
    await setTriggerProblem(tdb.db, id, 'file_watcher', 'The folder is outside every file root.');
    const one = (await (await api('/order-hook')).json()) as { trigger_problem?: { message: string; since: string } };
    expect(one.trigger_problem).toEqual({ message: 'The folder is outside every file root.', since: expect.stringMatching(/^\d{4}-/) });
    const all = (await (await api('')).json()) as { workflows: { slug: string; trigger_problem?: unknown }[] };
    expect(all.workflows.filter((w) => w.trigger_problem).map((w) => w.slug)).toEqual(['order-hook']);
    await setTriggerProblem(tdb.db, id, 'file_watcher', null);
    expect(await (await api('/order-hook')).json()).not.toHaveProperty('trigger_problem');
  });
});
