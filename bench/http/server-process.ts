// A real `khaosflow start` in its own process, as users run it: the load generator
// (autocannon, in the bench process) must not share the server's event loop.
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../server/paths.js';
import { benchWorkflows } from './workflows.js';

export interface ServerProcess {
  baseUrl: string;
  /** CPU seconds (user + system) the server process has used so far (Linux /proc). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const cli = path.join(projectRoot, 'bin', 'khaosflow.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitHealthy(baseUrl: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`khaosflow start exited with ${child.exitCode}:\n${stderr()}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`khaosflow start did not answer /healthz within 60 s:\n${stderr()}`);
}

/** Applies the bench workflows with the CLI, then starts the server on a free loopback port. */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  if (!fs.existsSync(path.join(projectRoot, 'dist', 'server', 'cli.js'))) {
    throw new Error('The benchmarks run the built server: run `npm run build` first.');
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'khaosflow-bench-home-'));
  const dir = path.join(home, 'workflows');
  fs.mkdirSync(dir);
  for (const [file, yaml] of Object.entries(benchWorkflows)) fs.writeFileSync(path.join(dir, file), yaml);
  const childEnv = { ...process.env, DATABASE_URL: databaseUrl, KHAOSFLOW_HOME: home, LOG_LEVEL: 'warn', ...env };
  execFileSync(process.execPath, [cli, 'workflows', 'apply', dir], { env: childEnv, stdio: 'pipe' });

  const port = await freePort();
  // BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server child alone.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, cli, 'start', '--port', String(port)], {
    env: { ...childEnv, HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitHealthy(baseUrl, child, () => stderr);
  return {
    baseUrl,
    cpuSeconds() {
      try {
        // Fields 14 and 15 of /proc/<pid>/stat, after the ")" closing the command name.
        const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        return Number.NaN;
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
