// `khaosflow workflows versions|export|rollback|delete`, run as a user would (a child
// process), over the same service functions as the API: versions newest first, YAML
// printed exactly as saved, rollback as a new version, delete stopping the workflow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkflow, listVersions, updateWorkflow } from '../../server/workflows/authoring.js';
import { startDraftTestRun } from '../../server/workflows/test-run.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let home: string;

const V1 = `# Nightly report - kept as written
name: Report
steps:
  - name: Say   # trailing comment
    action: { type: log, message: first }
`;
const V2 = V1.replace('first', 'second');

beforeAll(async () => {
  tdb = await createTestDatabase();
  home = tempDir('kf-cli-history-');
  await createWorkflow(tdb.db, V1, 'test');
  await updateWorkflow(tdb.db, 'report', V2, 'test');
  // A test of an unsaved draft: hidden, never listed as a version.
  await startDraftTestRun({ db: tdb.db, pool: tdb.pool }, { yaml: V2.replace('second', 'draft'), data: {}, startedBy: 'test' });
});
afterAll(async () => {
  await tdb?.drop();
});

const cli = (...args: string[]) =>
  runCli(['workflows', ...args], { env: { DATABASE_URL: tdb.url, KHAOSFLOW_HOME: home, LOG_LEVEL: 'error' } });

// Each command is a fresh Node process (a few seconds each on a busy machine).
describe('khaosflow workflows history commands', { timeout: 180_000 }, () => {
  it('lists the versions newest first (drafts are not versions)', async () => {
    const res = await cli('versions', 'report', '--json');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('exports the current version, or --version n, exactly as saved', async () => {
    const current = await cli('export', 'report');
    expect(current.code).toBe(0);
    expect(current.stdout).toBe(V2);
    expect((await cli('export', 'report', '--version', '1')).stdout).toBe(V1);
  });

  it('rolls back by adding a version equal to the old one, comments included', async () => {
    const res = await cli('rollback', 'report', '1');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('version 3');
    expect((await cli('export', 'report')).stdout).toBe(V1);
    expect((await listVersions(tdb.db, 'report')).map((v) => v.version)).toEqual([3, 2, 1]);
  });

  it('deletes a workflow, after which it is gone for every command', async () => {
    const res = await cli('delete', 'report');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('deleted report');
    const again = await cli('delete', 'report');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('"report" was not found');
    const gone = await cli('export', 'report', '--version', '1');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('has no version 1');
  });
});
