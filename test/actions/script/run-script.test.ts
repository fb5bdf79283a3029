import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../server/paths.js';
import { startBench, stepsByName, type Bench } from '../../helpers/engine.js';

let bench: Bench;
const saved = {
  DATABASE_URL: process.env.DATABASE_URL,
  KHAOSFLOW_SECRET_KEY: process.env.KHAOSFLOW_SECRET_KEY,
  KHAOSFLOW_SENTINEL: process.env.KHAOSFLOW_SENTINEL,
  KHAOSFLOW_FILE_ROOTS: process.env.KHAOSFLOW_FILE_ROOTS,
};

beforeAll(async () => {
  // /tmp is no default file root (any local user can plant links there); the spec's backup
  // example writes its dump there, so its deployment lists it, as docker-compose.yml does.
  process.env.KHAOSFLOW_FILE_ROOTS = '/tmp';
  bench = await startBench();
  // The worker's own environment carries these; scripts must not see them.
  process.env.DATABASE_URL = bench.tdb.url;
  process.env.KHAOSFLOW_SECRET_KEY = 'sentinel-secret-key-of-the-worker';
  process.env.KHAOSFLOW_SENTINEL = 'worker-only';
});
afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await bench?.stop();
});

async function runScript(action: string, data: unknown = {}) {
  const { slug } = await bench.apply(`
name: Script ${randomBytes(4).toString('hex')}
trigger: { type: manual }
steps:
  - name: Script
    action:
${action
  .replace(/^\n/, '')
  .split('\n')
  .map((line) => `      ${line}`)
  .join('\n')}
`);
  const run = await bench.waitFor(await bench.start(slug, data));
  return { run, step: stepsByName(run).Script! };
}

/** Log lines of a step as text. */
const logText = (step: { logs: unknown }) => ((step.logs as Array<{ message: string }> | null) ?? []).map((l) => l.message);

/** True while `pid` is a live process (a zombie awaiting its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Live host processes running `sleep <seconds>`. A sandboxed script has its own pid
 * namespace, so the pid it prints means nothing here: a unique duration finds it.
 */
function sleepers(seconds: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') === `sleep\0${seconds}\0`;
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter(alive);
}

const uniqueSeconds = () => `1000.${Math.floor(Math.random() * 1e6)}`;

describe('run_script with node', () => {
  it('runs the spec example and returns its value', async () => {
    const yaml = fs.readFileSync(path.join(projectRoot, 'examples/actions/run-script.yaml'), 'utf8');
    const { slug } = await bench.apply(`name: Spec Run Script\n${yaml}`);
    const run = await bench.waitFor(await bench.start(slug, { items: [{ price: 10 }, { price: 32.5 }] }));
    expect(run.status).toBe('succeeded');
    expect(run.steps[0]!.output).toEqual({ total: 42.5, item_count: 2 });
  });

  it('runs code without a runtime as node, with the results of earlier steps in context', async () => {
    const { slug } = await bench.apply(`
name: Validate
trigger: { type: manual }
steps:
  - name: First
    action: { type: transform, operation: map, input: "{{trigger.data.items}}", transform: "$.price * 2" }
  - name: Validate Order
    action:
      type: run_script
      code: |
        const order = context.trigger.data;
        if (!order.items || order.items.length === 0) {
          throw new Error('Order has no items');
        }
        console.log('validated', order.items.length, 'items');
        return { order, doubled: context.steps.first.result, workflow: context.workflow.name };
`);
    const ok = await bench.waitFor(await bench.start(slug, { items: [{ price: 2 }] }));
    expect(ok.status).toBe('succeeded');
    const step = stepsByName(ok)['Validate Order']!;
    expect(step.output).toEqual({ order: { items: [{ price: 2 }] }, doubled: [4], workflow: 'Validate' });
    expect(logText(step)).toContain('validated 1 items');

    const failed = await bench.waitFor(await bench.start(slug, { items: [] }));
    expect(failed.status).toBe('failed');
    const error = stepsByName(failed)['Validate Order']!.error as { message: string; details: { line: number } };
    expect(error.message).toBe('The script threw Error: Order has no items (line 3, column 9 of the script)');
    expect(error.details.line).toBe(3);
  });

  it('reports a syntax error with its line and does not retry it', async () => {
    const { run, step } = await runScript(`
type: run_script
code: |
  const a = 1;
  const b = ;
  return a;
retry: { attempts: 3, delay: 10ms }`);
    expect(run.status).toBe('failed');
    expect(run.steps).toHaveLength(1);
    expect((step.error as { message: string }).message).toMatch(/^The script does not compile: SyntaxError: Unexpected token ';' \(line 2/);
  });

  it('stops a busy loop at the timeout, with the child processes it started', async () => {
    const seconds = uniqueSeconds();
    const { run, step } = await runScript(`
type: run_script
timeout: 1s
code: |
  const { spawn } = require('node:child_process');
  const child = spawn('sleep', ['${seconds}'], { stdio: 'ignore' });
  console.log('child pid', child.pid);
  for (;;) {}`);
    expect(run.status).toBe('failed');
    expect((step.error as { message: string }).message).toMatch(/did not finish within 1 s and was stopped/);
    const pid = Number(/child pid (\d+)/.exec(logText(step).join('\n'))![1]);
    expect(pid).toBeGreaterThan(0);
    await expect.poll(() => sleepers(seconds), { timeout: 5_000 }).toEqual([]);
  });

  it('fails a memory bomb without harming the worker', async () => {
    const { run, step } = await runScript(`
type: run_script
memory_mb: 64
code: |
  const hoard = [];
  for (;;) hoard.push(new Array(100000).fill({ x: Math.random() }));`);
    expect(run.status).toBe('failed');
    expect((step.error as { message: string }).message).toMatch(/ran out of memory \(limit 64 MB\)/);
    // Buffers live outside the JavaScript heap; the resident-memory watchdog catches them.
    const { step: buffers } = await runScript(`
type: run_script
memory_mb: 64
code: |
  const blocks = [];
  for (;;) { blocks.push(Buffer.alloc(32 * 1024 * 1024, 1)); await new Promise((r) => setTimeout(r, 5)); }`);
    expect((buffers.error as { message: string }).message).toMatch(/ran out of memory \(limit 64 MB\)/);
    const { run: after } = await runScript(`
type: run_script
code: "return 'still here'"`);
    expect(after.status).toBe('succeeded');
    expect(after.steps[0]!.output).toBe('still here');
  });

  it('does not show the worker environment to the script', async () => {
    const { run, step } = await runScript(
      `
type: run_script
env:
  GREETING: "hello {{trigger.data.name}}"
code: |
  const fs = require('node:fs');
  let parent;
  try { parent = fs.readFileSync('/proc/' + process.ppid + '/environ', 'utf8'); } catch (err) { parent = err.code; }
  return { env: process.env, uid: process.getuid(), parent, cwd: process.cwd() };`,
      { name: 'Ada' },
    );
    expect(run.status).toBe('succeeded');
    const out = step.output as { env: Record<string, string>; uid: number; parent: string; cwd: string };
    expect(Object.keys(out.env).sort()).toEqual(['GREETING', 'HOME', 'LANG', 'PATH']);
    expect(out.env.GREETING).toBe('hello Ada');
    expect(out.env.HOME).toBe(out.cwd);
    expect(JSON.stringify(out)).not.toContain(bench.tdb.url);
    expect(JSON.stringify(out)).not.toContain('sentinel-secret-key');
    // In the sandbox the parent is bubblewrap, started with the script's environment only.
    expect(out.parent).not.toContain('sentinel');
    expect(out.parent).not.toContain('worker-only');
    // As root, scripts run as an unprivileged user as well.
    if (process.getuid?.() === 0) expect(out.uid).not.toBe(0);
    expect(fs.existsSync(out.cwd)).toBe(false);
  });

  it('gives a script only the secrets it lists', async () => {
    await bench.services.vault.secrets.set('script_token', 'tok-1234567890');
    const { run, step } = await runScript(`
type: run_script
secrets: [script_token]
code: |
  console.log('token is', context.secrets.script_token);
  return { length: context.secrets.script_token.length, names: Object.keys(context.secrets) };`);
    expect(run.status).toBe('succeeded');
    expect(step.output).toEqual({ length: 14, names: ['script_token'] });
    expect(logText(step)).toContain('token is ***');
    const { step: unlisted } = await runScript(`
type: run_script
code: "return context.secrets === undefined"`);
    expect(unlisted.output).toBe(true);
  });
});

describe('run_script output limits', () => {
  it('fails a node script whose result is too large', async () => {
    const { run, step } = await runScript(`
type: run_script
code: "return 'x'.repeat(5 * 1024 * 1024)"`);
    expect(run.status).toBe('failed');
    expect((step.error as { message: string }).message).toMatch(
      /^The script threw ResultTooLarge: the returned value is \d+ bytes as JSON, more than the limit of 4194304/,
    );
  });

  it('stops a shell script that prints too much', async () => {
    const { run, step } = await runScript(`
type: run_script
runtime: bash
code: "yes khaosflow"`);
    expect(run.status).toBe('failed');
    expect((step.error as { message: string }).message).toBe(
      'The bash script printed more than 4 MB on stdout and was stopped; write large data to a file instead.',
    );
  });

  it('keeps a bounded number of log lines', async () => {
    const { run, step } = await runScript(`
type: run_script
code: |
  for (let i = 0; i < 5000; i++) console.log('line', i);
  return 'done';`);
    expect(run.status).toBe('succeeded');
    const lines = logText(step);
    expect(lines).toHaveLength(501);
    expect(lines.at(-1)).toMatch(/^\.\.\. \d+ more bytes of output not kept/);
  });
});

describe('run_script with python', () => {
  it('runs python with the context on stdin', async () => {
    const { run, step } = await runScript(
      `
type: run_script
runtime: python
code: |
  import json, sys
  context = json.load(sys.stdin)
  print(json.dumps({"name": context["trigger"]["data"]["name"].upper()}))`,
      { name: 'ada' },
    );
    expect(run.status).toBe('succeeded');
    expect(step.output).toEqual({ name: 'ADA' });
  });
});

describe('run_script with bash', () => {
  it('passes inputs as data through env and stdin, never as code', async () => {
    const marker = path.join('/tmp', `pwned-${randomBytes(6).toString('hex')}`);
    const hostile = `$(touch ${marker})\`touch ${marker}\`; touch ${marker}`;
    const { run, step } = await runScript(
      `
type: run_script
runtime: bash
env:
  NAME: "{{trigger.data.name}}"
code: |
  echo "note on stderr" >&2
  input=$(cat)
  printf '{"env": "%s", "stdin_bytes": %d}' "$(printf %s "$NAME" | base64 -w0)" "\${#input}"`,
      { name: hostile },
    );
    expect(run.status).toBe('succeeded');
    const out = step.output as { env: string; stdin_bytes: number };
    expect(Buffer.from(out.env, 'base64').toString()).toBe(hostile);
    expect(out.stdin_bytes).toBeGreaterThan(hostile.length);
    expect(logText(step)).toContain('note on stderr');
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('returns stdout as text when it is not JSON, and fails on a non-zero exit with stderr', async () => {
    const { step } = await runScript(`
type: run_script
runtime: bash
code: |
  echo "plain words"`);
    expect(step.output).toBe('plain words');
    const { run, step: failed } = await runScript(`
type: run_script
runtime: bash
code: |
  echo "about to fail" >&2
  exit 3`);
    expect(run.status).toBe('failed');
    expect((failed.error as { message: string }).message).toBe('The bash script exited with code 3: about to fail');
  });

  it('can use /tmp and tools on PATH, as the spec backup example does', async () => {
    const file = `/tmp/khaosflow-backup-${randomBytes(4).toString('hex')}.sql`;
    const { slug } = await bench.apply(`
name: Backup Like
trigger: { type: manual }
steps:
  - name: Dump
    action:
      type: run_script
      runtime: bash
      code: |
        echo "select 1;" > ${file}
  - name: Compress
    action:
      type: run_script
      runtime: bash
      code: |
        gzip ${file}
`);
    const run = await bench.waitFor(await bench.start(slug));
    expect(run.status).toBe('succeeded');
    expect(fs.existsSync(`${file}.gz`)).toBe(true);
    fs.rmSync(`${file}.gz`);
  });

  it('stops the script and its background processes at the timeout', async () => {
    const seconds = uniqueSeconds();
    const { run, step } = await runScript(`
type: run_script
runtime: bash
timeout: 1s
code: |
  sleep ${seconds} &
  echo "child pid $!" >&2
  while true; do :; done`);
    expect(run.status).toBe('failed');
    expect((step.error as { message: string }).message).toMatch(/did not finish within 1 s/);
    expect(logText(step).join('\n')).toMatch(/child pid \d+/);
    await expect.poll(() => sleepers(seconds), { timeout: 5_000 }).toEqual([]);
  });

  it('limits the memory of each process', async () => {
    const { run, step } = await runScript(`
type: run_script
runtime: bash
memory_mb: 64
code: |
  big=$(head -c 200000000 /dev/zero | tr '\\0' x)
  echo done`);
    expect(run.status).toBe('failed');
    expect((step.error as { message: string }).message).toMatch(
      /^The bash script ran out of memory \(limit 64 MB of virtual memory per process\); raise memory_mb\. .*cannot allocate/,
    );
  });
});
