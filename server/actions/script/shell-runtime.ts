// Running `runtime: bash` (also sh and python) code. The code is written to a file in
// the run's private folder and executed as is: it is never templated, so data cannot
// become code. Inputs arrive as environment variables (the step's `env:`) and as JSON
// on stdin ({trigger, steps, vars, ...}, e.g. `jq -r .trigger.data.name`). stdout is
// the result (parsed when it is JSON); stderr goes to the step's log.
//
// Memory: `ulimit -v` set by a small bash wrapper before exec (a limit on each
// process's virtual memory, inherited by what the script starts; not a total).
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { NonRetryableError, StepError } from '../../core/errors.js';
import type { ActionContext } from '../../core/action.js';
import { LogLines } from './output-capture.js';
import { describeExit, groupKiller } from './process-group.js';
import { sandboxed, sandboxFailure, scriptIsolation } from './sandbox.js';
import { scriptUser } from './script-user.js';
import { createWorkspace, scriptEnvironment } from './workspace.js';

export const DEFAULT_SHELL_MEMORY_MB = 1024;
export const MAX_STDOUT_BYTES = 4 * 1024 * 1024;

export type ShellRuntime = 'bash' | 'sh' | 'python';

const interpreters: Record<ShellRuntime, { command: string[]; file: string }> = {
  bash: { command: ['bash', '--noprofile', '--norc'], file: 'script.sh' },
  sh: { command: ['sh'], file: 'script.sh' },
  python: { command: ['python3', '-u'], file: 'script.py' },
};

// Positional parameters, never spliced into the command text: $1 the limit in KB, then the command.
const LIMIT_WRAPPER = 'ulimit -v "$1" || exit 125; shift; exec "$@"';

export interface ShellScriptJob {
  runtime: ShellRuntime;
  code: string;
  stdin: unknown;
  env: Record<string, string>;
  timeoutMs: number;
  memoryMb?: number | undefined;
}

type Ending =
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'timeout' }
  | { kind: 'too-much-output' }
  | { kind: 'aborted' }
  | { kind: 'error'; error: Error };

/** The result of stdout: JSON when it parses, else the text without its final newline; null when empty. */
export function stdoutResult(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (/^[[{"]|^-?\d|^(true|false|null)$/.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      // Not JSON after all: plain text.
    }
  }
  return text.replace(/\r?\n$/, '');
}

const seconds = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);

/** Runs one shell (or python) script; resolves with its stdout result. */
export async function runShellScript(ctx: ActionContext, job: ShellScriptJob): Promise<unknown> {
  const memoryMb = job.memoryMb ?? DEFAULT_SHELL_MEMORY_MB;
  const interpreter = interpreters[job.runtime];
  const warn = (message: string) => ctx.services.logger.warn(message);
  const isolation = scriptIsolation(ctx.services.config.env, ctx.services.config.home, warn);
  const user = await scriptUser(warn);
  const workspace = await createWorkspace(user);
  const stderr = new LogLines('warn', ctx.log, (text) => ctx.redact(text));
  const stdout: Buffer[] = [];
  let stdoutBytes = 0;
  const cleanups: Array<() => void> = [];
  let stopGroup = () => {};
  try {
    const file = path.join(workspace.dir, interpreter.file);
    await fs.writeFile(file, job.code, { mode: 0o600 });
    if (user) await fs.chown(file, user.uid, user.gid);
    const command = sandboxed(
      isolation,
      ['bash', '--noprofile', '--norc', '-c', LIMIT_WRAPPER, 'khaosflow-limits', String(memoryMb * 1024), ...interpreter.command, file],
      workspace.dir,
      user ?? undefined,
    );
    const child = spawn(command.file, command.args, {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: workspace.dir,
      env: scriptEnvironment(workspace.dir, job.env),
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    stopGroup = groupKiller(child.pid);
    const ending = await new Promise<Ending>((resolve) => {
      child.once('error', (error) => resolve({ kind: 'error', error }));
      // Background processes the script left would hold the pipes open: the group goes with the script.
      child.once('exit', () => stopGroup());
      // 'close': exited and every pipe drained, so stdout is complete.
      child.once('close', (code, signal) => resolve({ kind: 'exit', code, signal }));
      child.stdout.on('data', (chunk: Buffer) => {
        stdoutBytes += chunk.length;
        if (stdoutBytes > MAX_STDOUT_BYTES) resolve({ kind: 'too-much-output' });
        else stdout.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.stdin.on('error', () => undefined); // a script that never reads stdin closes it early (EPIPE)
      child.stdin.end(JSON.stringify(job.stdin ?? null));
      const timer = setTimeout(() => resolve({ kind: 'timeout' }), job.timeoutMs);
      cleanups.push(() => clearTimeout(timer));
      const onAbort = () => resolve({ kind: 'aborted' });
      if (ctx.signal.aborted) onAbort();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => ctx.signal.removeEventListener('abort', onAbort));
    });
    stopGroup();
    stderr.end();
    const tail = stderr.tail.join('\n').slice(-500);
    switch (ending.kind) {
      case 'aborted':
        throw ctx.signal.reason;
      case 'error':
        throw new NonRetryableError(`Could not start the ${job.runtime} script: ${ending.error.message}`);
      case 'timeout':
        throw new StepError(
          `The ${job.runtime} script did not finish within ${seconds(job.timeoutMs)} and was stopped, with every process it started; raise timeout: if it needs longer.`,
        );
      case 'too-much-output':
        throw new NonRetryableError(
          `The ${job.runtime} script printed more than ${MAX_STDOUT_BYTES / 1024 / 1024} MB on stdout and was stopped; write large data to a file instead.`,
        );
      case 'exit': {
        const out = Buffer.concat(stdout).toString('utf8');
        if (ending.code === 0) return stdoutResult(out);
        const sandbox = ending.code === 1 ? sandboxFailure(isolation, stderr.tail) : null;
        if (sandbox) throw sandbox;
        if (ending.code === 127 && /python3: (command )?not found|No such file/.test(tail))
          throw new NonRetryableError(`${interpreter.command[0]} is not installed on this machine: ${tail}`);
        const details = { exit_code: ending.code, signal: ending.signal, stderr: tail, stdout: ctx.redact(out).slice(-500) };
        if (/cannot allocate|out of memory|MemoryError|std::bad_alloc/i.test(tail)) {
          throw new NonRetryableError(
            `The ${job.runtime} script ran out of memory (limit ${memoryMb} MB of virtual memory per process); raise memory_mb. ${tail}`,
            { details },
          );
        }
        const exit = describeExit(ending, isolation.kind === 'bwrap');
        throw new StepError(`The ${job.runtime} script ${exit.how}${tail ? `: ${tail}` : ''}`, {
          details: { ...details, signal: exit.signal },
        });
      }
    }
  } finally {
    for (const cleanup of cleanups) cleanup();
    stopGroup();
    await workspace
      .remove()
      .catch((err) => ctx.services.logger.warn(`could not remove the script folder ${workspace.dir}: ${(err as Error).message}`));
  }
}
