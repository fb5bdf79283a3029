// run_script isolation (issue 18 finding 2): whatever user KhaosFlow runs as, a script
// runs in a bubblewrap sandbox. It must not see the worker's processes (and so not
// their environment), KhaosFlow's home folder (secret.key), the network, or the
// host's /tmp; it still gets its own /tmp, the system tools and the file roots.
// Without bwrap it refuses to run unless KHAOSFLOW_SCRIPT_ISOLATION=none.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBench, stepsByName, type Bench } from '../../helpers/engine.js';

let b: Bench;
let listener: net.Server;
let port: number;
const roots = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-script-roots-'));
// The script user (KhaosFlow running as root) must be able to write the file root.
fs.chmodSync(roots, 0o777);

beforeAll(async () => {
  listener = net.createServer((socket) => socket.end('hello from the host\n'));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as net.AddressInfo).port;
  b = await startBench({ env: { KHAOSFLOW_FILE_ROOTS: roots } });
});
afterAll(async () => {
  await b?.stop();
  await new Promise((resolve) => listener.close(resolve));
  fs.rmSync(roots, { recursive: true, force: true });
});

/** The worker reads these settings for each step: one bench serves every case. */
function settings(env: Record<string, string | undefined>): Bench {
  for (const key of ['KHAOSFLOW_SCRIPT_NETWORK', 'KHAOSFLOW_SCRIPT_ISOLATION']) delete b.services.config.env[key];
  b.services.config.env.PATH = process.env.PATH;
  Object.assign(b.services.config.env, env);
  return b;
}

async function runScript(b: Bench, action: string, data: unknown = {}) {
  const { slug } = await b.apply(`
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
  const run = await b.waitFor(await b.start(slug, data));
  return { run, step: stepsByName(run).Script! };
}

const errorOf = (step: { error: unknown }) => (step.error as { message: string } | null)?.message ?? '';

describe('run_script in the sandbox', () => {
  it('hides the worker processes, KhaosFlow home and the host /tmp from a node script, and keeps the network off', async () => {
    const b = settings({});
    const home = b.services.config.home;
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, 'probe.txt'), 'in the home folder');
    const hostTmp = path.join(os.tmpdir(), `kf-host-only-${randomBytes(4).toString('hex')}`);
    fs.writeFileSync(hostTmp, 'host tmp');
    const { run, step } = await runScript(
      b,
      `
type: run_script
env:
  WORKER_PID: "{{trigger.data.pid}}"
  HOME_PROBE: "{{trigger.data.probe}}"
  HOST_TMP: "{{trigger.data.hostTmp}}"
  PORT: "{{trigger.data.port}}"
  ROOTS: "{{trigger.data.roots}}"
code: |
  const fs = require('node:fs');
  const net = require('node:net');
  const attempt = (f) => { try { return f(); } catch (err) { return err.code; } };
  const pids = fs.readdirSync('/proc').filter((n) => /^\\d+$/.test(n)).map(Number);
  const connected = await new Promise((resolve) => {
    const socket = net.connect(Number(process.env.PORT), '127.0.0.1');
    socket.once('data', () => { socket.destroy(); resolve('connected'); });
    socket.once('error', (err) => resolve(err.code));
  });
  fs.writeFileSync('/tmp/mine.txt', 'x');
  fs.writeFileSync(process.env.ROOTS + '/from-script.txt', 'for a file step');
  return {
    sawWorker: pids.includes(Number(process.env.WORKER_PID)),
    processes: pids.length,
    home: attempt(() => fs.readFileSync(process.env.HOME_PROBE, 'utf8')),
    hostTmp: attempt(() => fs.readFileSync(process.env.HOST_TMP, 'utf8')),
    ownTmp: fs.readFileSync('/tmp/mine.txt', 'utf8'),
    network: connected,
    usr: attempt(() => { fs.writeFileSync('/usr/kf-probe', 'x'); return 'written'; }),
  };`,
      { pid: process.pid, probe: path.join(home, 'probe.txt'), hostTmp, port, roots },
    );
    fs.rmSync(hostTmp, { force: true });
    expect(errorOf(step)).toBe('');
    expect(run.status).toBe('succeeded');
    const out = step.output as Record<string, unknown>;
    expect(out.sawWorker).toBe(false);
    expect(out.processes).toBeLessThan(5);
    expect(out.home).toBe('ENOENT');
    expect(out.hostTmp).toBe('ENOENT');
    expect(out.ownTmp).toBe('x');
    expect(out.network).not.toBe('connected');
    expect(out.usr).toMatch(/EROFS|EACCES|EPERM/);
    expect(fs.readFileSync(path.join(roots, 'from-script.txt'), 'utf8')).toBe('for a file step');
  });

  it('keeps a bash script off the network unless KHAOSFLOW_SCRIPT_NETWORK=host', async () => {
    const code = `
type: run_script
runtime: bash
env: { PORT: "{{trigger.data.port}}" }
code: |
  exec 3<>/dev/tcp/127.0.0.1/$PORT && head -n1 <&3 || echo unreachable`;
    const { step: off } = await runScript(settings({}), code, { port });
    expect(off.output).toBe('unreachable');
    const { step: on } = await runScript(settings({ KHAOSFLOW_SCRIPT_NETWORK: 'host' }), code, { port });
    expect(on.output).toBe('hello from the host');
  });

  it('refuses to run a script without bwrap, saying what to do, unless isolation is turned off', async () => {
    const noBwrap = path.join(roots, 'bin');
    fs.mkdirSync(noBwrap, { recursive: true });
    for (const tool of ['sh', 'bash']) fs.symlinkSync(`/bin/${tool}`, path.join(noBwrap, tool));
    const { run, step } = await runScript(
      settings({ PATH: noBwrap }),
      `
type: run_script
runtime: bash
code: echo hi`,
    );
    expect(run.status).toBe('failed');
    expect(errorOf(step)).toMatch(/bubblewrap.*apt-get install bubblewrap.*KHAOSFLOW_SCRIPT_ISOLATION=none/);
    const { step: unisolated } = await runScript(
      settings({ KHAOSFLOW_SCRIPT_ISOLATION: 'none' }),
      `
type: run_script
code: "return require('node:fs').existsSync('/proc/' + process.ppid)"`,
    );
    expect(unisolated.output).toBe(true);
  });

  it('names the signal that killed a script, and why, instead of an exit code', async () => {
    const b = settings({});
    const { step: node } = await runScript(
      b,
      `
type: run_script
code: "process.kill(process.pid, 'SIGKILL')"`,
    );
    expect(errorOf(node)).toMatch(/^The script process was killed by SIGKILL \(.*ran out of memory.*\) before returning a result/);
    const { step: bash } = await runScript(
      b,
      `
type: run_script
runtime: bash
code: kill -KILL $$`,
    );
    expect(errorOf(bash)).toMatch(/^The bash script was killed by SIGKILL \(/);
    expect((bash.error as { details?: { signal?: string } }).details?.signal).toBe('SIGKILL');
  });

  it('redacts a secret before cutting the error text, so no part of it survives the cut (issue 18, low)', async () => {
    const b = settings({});
    await b.services.vault.secrets.set('cut_token', 'tok-1234567890');
    const { step } = await runScript(
      b,
      `
type: run_script
secrets: [cut_token]
code: |
  console.error('y'.repeat(490) + context.secrets.cut_token);
  process.exit(1);`,
    );
    expect(errorOf(step)).toMatch(/exited with code 1 before returning a result: y+\*\*\*\.$/);
    expect(errorOf(step)).not.toContain('tok-');
  });
});
