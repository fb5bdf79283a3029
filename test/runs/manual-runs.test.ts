// One "start a manual run" for every caller: `khaosflow run` refuses the parameters the
// API refuses, with the same message, and starts runs with the same checked values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { CLI_TEST_TIMEOUT_MS, runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { applyYaml, BACKUP_WORKFLOW, runsOf, tempDir } from '../triggers/helpers.js';

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
    env: { KHAOSFLOW_HOME: tempDir('kf-runs-') },
  });
  key = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
  await applyYaml(
    tdb.db,
    `${BACKUP_WORKFLOW}steps:\n  - name: Say\n    action: { type: log, message: "backing up {{trigger.data.environment}}" }\n`,
  );
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

async function viaApi(parameters: unknown): Promise<{ status: number; message: string; fields: unknown }> {
  const res = await fetch(`${node.baseUrl}/api/workflows/backup/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ parameters }),
  });
  const body = (await res.json()) as { error: { message: string; details: { fields: unknown } } };
  return { status: res.status, message: body.error.message, fields: body.error.details.fields };
}

const viaCli = (parameters: unknown) =>
  runCli(['run', 'backup', '--data', JSON.stringify(parameters)], { env: { DATABASE_URL: tdb.url, LOG_LEVEL: 'warn' } });

describe('manual runs from the CLI and the API', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it.each([
    ['an option that is not declared', { environment: 'qa' }],
    ['a missing required parameter', { copies: 2 }],
    ['an unknown parameter and a wrong type', { environment: 'dev', copies: 'many', colour: 'red' }],
  ])('both refuse %s, with the same message, and start no run', async (_what, parameters) => {
    const [api, cli] = await Promise.all([viaApi(parameters), viaCli(parameters)]);
    expect(api.status).toBe(422);
    expect(api.message).toMatch(/^The parameters do not fit workflow "backup": /);
    expect(cli.code).toBe(2);
    expect(cli.stderr.trim()).toBe(`khaosflow run: ${api.message}`);
    expect(await runsOf(tdb.db, 'backup')).toEqual([]);
  });

  it('starts the run with the checked values (defaults applied, text coerced), as the API does', async () => {
    const cli = await viaCli({ environment: 'prod', dry_run: 'true' });
    expect(cli.code).toBe(0);
    const [run] = await runsOf(tdb.db, 'backup');
    expect(run).toMatchObject({
      trigger_kind: 'manual',
      trigger_data: { data: { environment: 'prod', copies: 1, dry_run: true }, started_by: 'cli' },
    });
  });
});
