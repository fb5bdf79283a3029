// Runs the `khaosflow` command. In CI (.ci/run builds just before `npm test`) it runs the
// build through bin/khaosflow.js, exactly what users run, and twice as fast to start as
// compiling the sources on every spawn; elsewhere it runs the sources with tsx, so a
// build older than the code being tested can never be what a test checks.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../server/paths.js';

/**
 * A bound for tests that run several commands: each start costs a second or two of CPU,
 * which on a loaded 2-core machine can stretch to many seconds of waiting. Not a speed check.
 */
export const CLI_TEST_TIMEOUT_MS = 180_000;

const useBuild = process.env.CI === 'true';
const CLI_ARGS = useBuild
  ? [path.join(projectRoot, 'bin', 'khaosflow.js')]
  : ['--import', 'tsx', path.join(projectRoot, 'server', 'cli.ts')];

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function spawnCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): ChildProcess & { output: Promise<CliResult>; stdoutText(): string } {
  const child = spawn(process.execPath, [...CLI_ARGS, ...args], {
    cwd: opts.cwd ?? projectRoot,
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  }) as ChildProcess & { output: Promise<CliResult>; stdoutText(): string };
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  else child.stdin!.end();
  child.output = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  child.stdoutText = () => stdout;
  return child;
}

/** Runs a command to completion. */
export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): Promise<CliResult> {
  return spawnCli(args, opts).output;
}

/** Resolves with the first stdout line matching `pattern` (e.g. the start-up line), rejecting if the process exits first. */
export function waitForLine(child: ReturnType<typeof spawnCli>, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output so far:\n${buffer}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      buffer += d.toString();
      const line = buffer.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(line);
      }
    };
    child.stdout!.on('data', onData);
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}) before printing ${pattern}; output:\n${buffer}`));
    });
  });
}
