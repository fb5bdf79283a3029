// Real `khaosflow` processes for the fault tests (test/reliability/): the built CLI
// (bin/khaosflow.js), as an operator runs it, each in its own process group so a
// test can SIGKILL it (and anything it spawned) and afterAll can clean up whatever a
// failed test left running.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../server/paths.js';

const cli = path.join(projectRoot, 'bin', 'khaosflow.js');

export interface KhaosflowProcess {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** Everything it printed (stdout and stderr, JSON log lines), for failure messages and log checks. */
  output(): string;
  /** The HTTP port from its start-up line (start, or worker --metrics-port). */
  port: number | null;
  signal(sig: NodeJS.Signals): void;
}

const running = new Set<KhaosflowProcess>();
const started: KhaosflowProcess[] = [];

/** Where every process's output is saved at the end, to read after a failure. */
export const logDir = path.join(os.tmpdir(), 'khaosflow-reliability-logs');

function ensureBuilt(): void {
  if (!fs.existsSync(path.join(projectRoot, 'dist', 'server', 'cli.js'))) {
    throw new Error('The fault tests run the built CLI: run `npm run build` first.');
  }
}

/** A fresh KHAOSFLOW_HOME (removed by stopAll). */
export function tempHome(prefix = 'khaosflow-rel-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs a short CLI command (migrate, workflows apply) to completion; throws with its output on failure. */
export function runKhaosflow(args: string[], env: Record<string, string>): string {
  ensureBuilt();
  try {
    return execFileSync(process.execPath, [cli, ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', ...env },
      stdio: 'pipe',
      timeout: 120_000,
    }).toString();
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`khaosflow ${args.join(' ')} failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
  }
}

/**
 * Starts `khaosflow <args>` and resolves once it is ready: `start` when its HTTP port
 * is known, `worker` when it logs that it is running.
 */
export async function spawnKhaosflow(
  name: string,
  args: string[],
  env: Record<string, string>,
  readyMs = 90_000,
): Promise<KhaosflowProcess> {
  ensureBuilt();
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: killing -pid reaches a script sandbox it may have started.
    detached: true,
  });
  let out = '';
  const append = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, sig) => resolve(code ?? sig ?? 'unknown')));
  const proc: KhaosflowProcess = {
    name,
    child,
    exited,
    output: () => out,
    port: null,
    signal(sig) {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // already gone
      }
    },
  };
  running.add(proc);
  started.push(proc);
  void exited.then(() => running.delete(proc));

  const ready = args[0] === 'start' ? /"url":"http:\/\/[^":]+:(\d+)"/ : /worker running \d+ runs at once/;
  const deadline = Date.now() + readyMs;
  while (Date.now() < deadline) {
    const match = ready.exec(out);
    if (match) {
      if (match[1]) proc.port = Number(match[1]);
      return proc;
    }
    if (child.exitCode !== null || child.signalCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.signal('SIGKILL');
  throw new Error(`${name} (khaosflow ${args.join(' ')}) was not ready within ${readyMs / 1000} s; output:\n${out.slice(-4000)}`);
}

/** SIGKILLs every process this file started that is still running and saves their output to logDir (afterAll). */
export async function stopAll(): Promise<void> {
  const left = [...running];
  for (const proc of left) proc.signal('SIGKILL');
  await Promise.all(left.map((p) => p.exited));
  fs.mkdirSync(logDir, { recursive: true });
  for (const proc of started.splice(0)) fs.writeFileSync(path.join(logDir, `${proc.name}-${proc.child.pid}.log`), proc.output());
}

/** Log lines (parsed JSON) a process printed whose `msg` matches `pattern`. */
export function logLines(proc: KhaosflowProcess, pattern: RegExp): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of proc.output().split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (typeof parsed.msg === 'string' && pattern.test(parsed.msg)) lines.push(parsed);
    } catch {
      // a line cut by the kill
    }
  }
  return lines;
}

/** Polls `check` until it returns a value other than undefined/false, or throws `what` at the deadline. */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}
