// A synchronous webhook whose workflow has no effects outside its runs is executed
// before it is written and written once, finished (server/engine/before-writing.ts,
// sql/000026). A test-only trigger logs every update of khaosflow.runs, so "written
// once" is seen, not assumed: the usual path inserts the run queued and updates it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVersion } from '../../server/engine/definitions.js';
import { canRunBeforeWriting, newRunId, runBeforeWriting, type UnwrittenRunInput } from '../../server/engine/before-writing.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { registerTestActions } from '../helpers/test-actions.js';
import { applyYaml, runsOf, tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
beforeAll(async () => {
  registerTestActions();
  tdb = await createTestDatabase();
  await tdb.pool.query(`
    create table public.run_updates (run_id uuid, old_status text, new_status text);
    create function public.log_run_update() returns trigger language plpgsql as $$
    begin
      insert into public.run_updates values (new.id, old.status, new.status);
      return new;
    end $$;
    create trigger log_run_update after update on khaosflow.runs for each row execute function public.log_run_update();`);
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: true,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-before-writing-') },
  });
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const pureSteps = `
steps:
  - name: Shape
    action: { type: transform, operation: map, input: "{{trigger.data.items}}", transform: "{ 'sku': sku, 'total': price * qty }" }
  - name: Big Order
    condition:
      if: "{{sum(steps.shape.result[].total) > 100}}"
      then:
        - name: Note Big
          action: { type: log, message: "big order {{trigger.data.id}}" }
      else:
        - name: Total
          action: { type: transform, operation: map, input: "{{steps.shape.result}}", transform: "{ 'sku': sku, 'total': total }" }
`;

const post = (path: string, body: unknown) =>
  fetch(`${node.baseUrl}/hooks${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function updatesOf(runId: string): Promise<string[]> {
  const { rows } = await tdb.pool.query<{ s: string }>(
    `select old_status || '>' || new_status as s from public.run_updates where run_id = $1`,
    [runId],
  );
  return rows.map((r) => r.s);
}

async function stepsOf(runId: string) {
  const { rows } = await tdb.pool.query<{ step_name: string; status: string; error: { message?: string } | null }>(
    'select step_name, status, error from khaosflow.step_runs where run_id = $1 order by id',
    [runId],
  );
  return rows;
}

async function currentVersion(slug: string): Promise<{ id: number; version: number; name: string }> {
  const { rows } = await tdb.pool.query<{ id: number; version: number; name: string }>(
    'select id, current_version as version, name from khaosflow.workflows where slug = $1',
    [slug],
  );
  return rows[0]!;
}

describe('sync runs of workflows without effects', () => {
  it('answers from a run written once, already finished, with its step records and no job', async () => {
    await applyYaml(tdb.db, `name: Pure Sync\ntrigger: { type: webhook, path: /pure-sync, respond: sync }\n${pureSteps}`);
    const res = await post('/pure-sync', { id: 4, items: [{ sku: 'a', price: 3, qty: 2 }] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ sku: 'a', total: 6 }]);
    const runId = res.headers.get('x-khaosflow-run-id')!;

    const { rows } = await tdb.pool.query(
      `select status, attempt, trigger_kind, trigger_data -> 'data' as data, output, started_at <= finished_at as ordered,
              created_at <= started_at as created_first
         from khaosflow.runs where id = $1`,
      [runId],
    );
    expect(rows[0]).toEqual({
      status: 'succeeded',
      attempt: 1,
      trigger_kind: 'webhook',
      data: { id: 4, items: [{ sku: 'a', price: 3, qty: 2 }] },
      output: [{ sku: 'a', total: 6 }],
      ordered: true,
      created_first: true,
    });
    expect((await stepsOf(runId)).map((s) => `${s.step_name}:${s.status}`)).toEqual([
      'Shape:succeeded',
      'Big Order:succeeded',
      'Total:succeeded',
    ]);
    expect(await updatesOf(runId)).toEqual([]);
    const jobs = await tdb.pool.query('select 1 from graphile_worker.jobs where key = $1', [`run:${runId}`]);
    expect(jobs.rowCount).toBe(0);
    // The run history's text search sees it like any other run.
    const found = await tdb.pool.query(
      'select 1 from khaosflow.run_search where run_id = $1 union all select 1 from khaosflow.run_search_backlog where run_id = $1',
      [runId],
    );
    expect(found.rowCount).toBe(1);
  });

  it('answers 500 naming the failed step, with the failed run and step recorded', async () => {
    await applyYaml(
      tdb.db,
      `name: Pure Fail
trigger: { type: webhook, path: /pure-fail, respond: sync }
steps:
  - name: Divide
    action: { type: transform, operation: map, input: "{{trigger.data.items}}", transform: "{ 'x': $error('no stock for ' & sku) }" }
`,
    );
    const res = await post('/pure-fail', { items: [{ sku: 'z' }] });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { run_id: string; error: { message: string } };
    expect(body).toMatchObject({ status: 'failed', error: { code: 'run_failed', step: 'Divide' } });
    expect(body.error.message).toContain('no stock for z');
    const [run] = await runsOf(tdb.db, 'pure-fail');
    expect(run).toMatchObject({ id: body.run_id, status: 'failed' });
    const steps = await stepsOf(body.run_id);
    expect(steps.map((s) => `${s.step_name}:${s.status}`)).toEqual(['Divide:failed']);
    expect(steps[0]!.error?.message).toContain('no stock for z');
    expect(await updatesOf(body.run_id)).toEqual([]);
  });

  it('drops a NUL character from the output, which jsonb refuses, on this path and the usual one', async () => {
    const nul = (name: string, path: string, respond: string) => `name: ${name}
trigger: { type: webhook, path: ${path}${respond} }
steps:
  - name: Text
    action: { type: transform, operation: map, input: "{{[trigger.data]}}", transform: "{ 'x': 'a\\\\u0000' & n }" }
`;
    await applyYaml(tdb.db, nul('Nul Sync', '/nul-sync', ', respond: sync'));
    const res = await post('/nul-sync', { n: 'b' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ x: 'ab' }]);
    const outputOf = async (id: string) => (await tdb.pool.query('select status, output from khaosflow.runs where id = $1', [id])).rows[0];
    expect(await outputOf(res.headers.get('x-khaosflow-run-id')!)).toEqual({ status: 'succeeded', output: [{ x: 'ab' }] });

    await applyYaml(tdb.db, nul('Nul Async', '/nul-async', ''));
    const accepted = await post('/nul-async', { n: 'c' });
    expect(accepted.status).toBe(202);
    const { run_id } = (await accepted.json()) as { run_id: string };
    await expect.poll(() => outputOf(run_id), { timeout: 30_000 }).toEqual({ status: 'succeeded', output: [{ x: 'ac' }] });
  });

  it('takes the usual path for a workflow with an effect: written first, then run and finished', async () => {
    await applyYaml(
      tdb.db,
      `name: Effect Sync
trigger: { type: webhook, path: /effect-sync, respond: sync }
steps:
  - name: Record
    action: { type: test_ledger, entry: "{{trigger.data.entry}}" }
`,
    );
    const res = await post('/effect-sync', { entry: 'e1' });
    expect(res.status).toBe(200);
    const runId = res.headers.get('x-khaosflow-run-id')!;
    expect((await updatesOf(runId)).at(-1)).toBe('running>succeeded');
  });
});

describe('runBeforeWriting', () => {
  const input = async (slug: string): Promise<UnwrittenRunInput> => {
    const w = await currentVersion(slug);
    return {
      workflowId: w.id,
      version: w.version,
      slug,
      workflowName: w.name,
      triggerKind: 'webhook',
      trigger: { data: { items: [{ sku: 'a', price: 1, qty: 1 }] } },
    };
  };
  const signal = new AbortController().signal;
  const yaml = (slug: string) => `name: ${slug}\ntrigger: { type: webhook, path: /${slug}, respond: sync }\n${pureSteps}`;

  it('writes nothing and answers null for a version that is no longer current, or a disabled workflow', async () => {
    await applyYaml(tdb.db, yaml('stale-one'));
    const old = await input('stale-one');
    await applyYaml(tdb.db, yaml('stale-one').replace("'total': total", "'total': total * 2"));
    expect(await runBeforeWriting(node.services, old, { signal, deadlineMs: 60_000 })).toBeNull();

    await applyYaml(tdb.db, yaml('disabled-one'), { enabled: false });
    expect(await runBeforeWriting(node.services, await input('disabled-one'), { signal, deadlineMs: 60_000 })).toBeNull();
    expect(await runsOf(tdb.db, 'stale-one')).toEqual([]);
    expect(await runsOf(tdb.db, 'disabled-one')).toEqual([]);
  });

  it('writes nothing when the process is shutting down', async () => {
    await applyYaml(tdb.db, yaml('interrupted-one'));
    const stopping = new AbortController();
    stopping.abort();
    expect(
      await runBeforeWriting(node.services, await input('interrupted-one'), { signal: stopping.signal, deadlineMs: 60_000 }),
    ).toBeNull();
    expect(await runsOf(tdb.db, 'interrupted-one')).toEqual([]);
  });

  it('decides from every step, nested ones included, and from queues, limits and on_failure', async () => {
    const eligible = async (body: string) => {
      const applied = await applyYaml(tdb.db, `name: Check\ntrigger: { type: manual }\n${body}`);
      const { id } = await currentVersion(applied.slug);
      return canRunBeforeWriting(await loadVersion(tdb.pool, id, applied.version), node.services.actions);
    };
    expect(await eligible(pureSteps)).toBe(true);
    const effectInBranch = pureSteps.replace('type: log, message: "big order {{trigger.data.id}}"', 'type: test_ledger, entry: big');
    expect(await eligible(effectInBranch)).toBe(false);
    const effectInLoop = `steps:
  - name: Each
    loop:
      over: "{{trigger.data.items}}"
      steps:
        - name: Record
          action: { type: test_ledger, entry: "{{item}}" }
`;
    expect(await eligible(effectInLoop)).toBe(false);
    expect(await eligible(`queue: "{{trigger.data.key}}"\n${pureSteps}`)).toBe(false);
    expect(await eligible(`concurrency: 2\n${pureSteps}`)).toBe(false);
    expect(await eligible(`error_handling:\n  on_failure:\n    - { type: test_ledger, entry: failed }\n${pureSteps}`)).toBe(false);
  });

  it('makes time-ordered version 7 ids Postgres reads as uuids', async () => {
    const a = newRunId(Date.UTC(2026, 0, 1));
    const b = newRunId(Date.UTC(2026, 0, 1) + 1);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
    const { rows } = await tdb.pool.query<{ ms: number }>(
      `select ('x' || lpad(replace($1::uuid::text, '-', ''), 32, '0'))::bit(128)::bit(48)::bigint as ms`,
      [a],
    );
    expect(Number(rows[0]!.ms)).toBe(Date.UTC(2026, 0, 1));
  });
});
