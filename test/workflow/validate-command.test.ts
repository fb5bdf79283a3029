// `khaosflow validate`: file:line:col problems on stdout, exit 0 valid / 1 invalid / 2 usage.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatePaths } from '../../server/commands/validate.js';

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'khaosflow-validate-'));
  await mkdir(join(dir, 'flows', 'nested'), { recursive: true });
  await mkdir(join(dir, 'empty'));
  await writeFile(join(dir, 'flows', 'good.yaml'), 'trigger: {type: manual}\n');
  await writeFile(join(dir, 'flows', 'nested', 'bad.yml'), 'action:\n  type: http_request\n  url: https://x.test\n  methd: GET\n');
  await writeFile(join(dir, 'flows', 'notes.txt'), 'not a workflow: [');
  await writeFile(join(dir, 'huge.yaml'), `name: big\n${'#'.repeat(2 * 1024 * 1024)}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function validate(...paths: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await validatePaths(paths, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('khaosflow validate', () => {
  it('exits 0 for valid files', async () => {
    expect(await validate(join(dir, 'flows', 'good.yaml'))).toEqual({ code: 0, out: [], err: ['1 workflow file(s) valid'] });
  });

  it('searches directories for .yaml and .yml files and prints each problem as file:line:col', async () => {
    const bad = join(dir, 'flows', 'nested', 'bad.yml');
    expect(await validate(join(dir, 'flows'))).toEqual({
      code: 1,
      out: [`${bad}:4:3: action.methd: unknown key "methd"; did you mean "method"?`],
      err: ['1 of 2 workflow file(s) invalid'],
    });
  });

  it('prints warnings without failing', async () => {
    const file = join(dir, 'warn.yaml');
    await writeFile(file, 'action:\n  type: database_query\n  query: select $1\n');
    expect(await validate(file)).toMatchObject({
      code: 0,
      out: [
        `${file}:3:10: warning: action.query: the query uses $1 but no parameters are given; add a value for each placeholder under parameters:`,
      ],
    });
  });

  it('refuses an oversized file without reading it', async () => {
    const file = join(dir, 'huge.yaml');
    expect(await validate(file)).toMatchObject({ code: 1, out: [`${file}:1:1: the file is 2.0 MB; workflow files are limited to 1.0 MB`] });
  });

  it('exits 2 for a missing path or a directory without workflow files', async () => {
    expect(await validate(join(dir, 'nope.yaml'))).toEqual({
      code: 2,
      out: [],
      err: [`khaosflow validate: ${join(dir, 'nope.yaml')}: no such file or directory`],
    });
    expect(await validate(join(dir, 'empty'))).toEqual({
      code: 2,
      out: [],
      err: [`khaosflow validate: ${join(dir, 'empty')}: no .yaml or .yml files found`],
    });
    expect(await validate()).toMatchObject({ code: 2 });
  });

  it('validates the examples from the command line with exit 0, and exits 2 without arguments', async () => {
    const cli = ['--import', 'tsx', 'server/cli.ts', 'validate'];
    const examples = await run(process.execPath, [...cli, 'examples/']);
    expect(examples.stderr).toMatch(/^\d+ workflow file\(s\) valid\n$/);
    await expect(run(process.execPath, cli)).rejects.toMatchObject({ code: 2 });
  });
});
