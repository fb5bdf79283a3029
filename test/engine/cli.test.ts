// `khaosflow workflows apply` and `khaosflow run`, as a user runs them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let dir: string;
beforeAll(async () => {
  tdb = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-cli-'));
  fs.writeFileSync(
    path.join(dir, 'double.yaml'),
    `
name: Double It
steps:
  - name: Double
    action: { type: transform, operation: map, input: "{{trigger.data.n}}", transform: "$ * 2" }
  - name: Report
    action: { type: log, message: "got {{steps.double.result}}" }
`,
  );
  fs.writeFileSync(
    path.join(dir, 'broken.yml'),
    `
name: Broken Divide
steps:
  - name: Divide
    action: { type: transform, operation: jq, input: "{{trigger.data}}", filter: ".a / .b | error" }
`,
  );
});
afterAll(async () => {
  await tdb?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ DATABASE_URL: tdb.url, LOG_LEVEL: 'warn' });

describe('khaosflow workflows apply / run', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('applies a folder, then reports unchanged files on a second apply', async () => {
    const first = await runCli(['workflows', 'apply', dir], { env: env() });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^created\s+broken-divide \(version 1, enabled\) from .*broken\.yml$/m);
    expect(first.stdout).toMatch(/^created\s+double-it \(version 1, enabled\)/m);
    const again = await runCli(['workflows', 'apply', path.join(dir, 'double.yaml'), '--disabled'], { env: env() });
    expect(again.stdout).toMatch(/^unchanged double-it \(version 1, disabled\)/m);
    await runCli(['workflows', 'enable', 'double-it'], { env: env() });
  });

  it('refuses to apply anything when one file is invalid, pointing at file:line:col', async () => {
    const bad = path.join(dir, 'zz-bad.yaml');
    fs.writeFileSync(bad, 'name: Bad\nsteps:\n  - name: X\n    action: { type: log, mesage: hi }\n');
    try {
      const res = await runCli(['workflows', 'apply', dir], { env: env() });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`${bad}:4:`);
      expect(res.stderr).toContain('nothing was applied');
    } finally {
      fs.rmSync(bad);
    }
  });

  it('runs a stored workflow through the queue and prints JSON; exit 0 on success', async () => {
    const res = await runCli(['run', 'double-it', '--data', '{"n":[2,5]}', '--json'], { env: env() });
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as { run_id: string; status: string; steps: unknown[] };
    expect(out).toEqual({
      run_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'succeeded',
      steps: [
        { name: 'Double', status: 'succeeded', output: [4, 10], error: null },
        { name: 'Report', status: 'succeeded', output: { level: 'info', message: 'got [4,10]' }, error: null },
      ],
    });
    const { rows } = await tdb.pool.query('select status from khaosflow.runs where id = $1', [out.run_id]);
    expect(rows[0].status).toBe('succeeded');
  });

  it('runs a file (applying it first) and exits 1 when the run fails, printing the error', async () => {
    const res = await runCli(['run', path.join(dir, 'broken.yml'), '--data', '{"a":1,"b":0}'], { env: env() });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^run [0-9a-f-]{36} of broken-divide v1: failed$/m);
    expect(res.stdout).toMatch(/✗ Divide \[transform\]/);
    expect(res.stdout).toMatch(/error: jq program failed: .*/);
  });

  it('says what is wrong with bad --data and an unknown workflow', async () => {
    const badData = await runCli(['run', 'double-it', '--data', '{oops'], { env: env() });
    expect(badData.code).toBe(2);
    expect(badData.stderr).toMatch(/--data is not valid JSON/);
    const unknown = await runCli(['run', 'no-such-workflow'], { env: env() });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no workflow "no-such-workflow".');
  });
});
