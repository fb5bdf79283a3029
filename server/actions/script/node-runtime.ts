// Running `runtime: node` code in a pooled process: send the job, capture console
// output into the step's log, and stop the process group at the timeout, on cancel,
// or when its memory grows past the limit. The heap limit (--max-old-space-size)
// stops JavaScript objects; the resident-memory watchdog also catches Buffers and
// other memory outside the heap.
import type { ChildProcess } from 'node:child_process';
import { NonRetryableError, StepError } from '../../core/errors.js';
import type { ActionContext } from '../../core/action.js';
import { DEFAULT_NODE_MEMORY_MB, NodeProcessPool } from './node-pool.js';
import { LogLines } from './output-capture.js';
import { describeExit, exited, groupKiller, treeResidentBytes } from './process-group.js';
import { sandboxFailure, scriptIsolation, type ScriptIsolation } from './sandbox.js';
import { scriptUser, type ScriptUser } from './script-user.js';
import { scriptEnvironment } from './workspace.js';

export const MAX_RESULT_BYTES = 4 * 1024 * 1024;

export interface NodeScriptJob {
  code: string;
  context: Record<string, unknown>;
  env: Record<string, string>;
  timeoutMs: number;
  memoryMb?: number | undefined;
}

interface ScriptError {
  name: string;
  message: string;
  syntax: boolean;
  line: number | null;
  column: number | null;
}

type Reply = { ok: true; json: string } | { ok: false; error: ScriptError };

type Ending =
  | { kind: 'reply'; reply: Reply }
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'timeout' }
  | { kind: 'memory' }
  | { kind: 'aborted' };

let pool: { user: ScriptUser | null; isolation: string; pool: NodeProcessPool } | null = null;

async function processPool(isolation: ScriptIsolation, warn: (message: string) => void): Promise<NodeProcessPool> {
  const user = await scriptUser(warn);
  const key = JSON.stringify(isolation);
  if (!pool || pool.user !== user || pool.isolation !== key) {
    pool?.pool.close();
    pool = { user, isolation: key, pool: new NodeProcessPool(user, isolation) };
  }
  return pool.pool;
}

const seconds = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);
const at = (e: ScriptError) => (e.line ? ` (line ${e.line}${e.column ? `, column ${e.column}` : ''} of the script)` : '');

function watchMemory(child: ChildProcess, limitBytes: number, onExceeded: () => void): () => void {
  const timer = setInterval(() => {
    // The tree: in the sandbox, the node process is a child of bwrap.
    const rss = child.pid ? treeResidentBytes(child.pid) : null;
    if (rss !== null && rss > limitBytes) onExceeded();
  }, 100);
  return () => clearInterval(timer);
}

function outcome(
  ending: Exclude<Ending, { kind: 'aborted' }>,
  job: NodeScriptJob,
  memoryMb: number,
  stderrTail: string[],
  sandboxed: boolean,
): unknown {
  const memoryError = () =>
    new NonRetryableError(
      `The script ran out of memory (limit ${memoryMb} MB) and was stopped; process less data at once or raise memory_mb.`,
    );
  switch (ending.kind) {
    case 'reply': {
      if (ending.reply.ok) return JSON.parse(ending.reply.json);
      const e = ending.reply.error;
      const details = { name: e.name, line: e.line, column: e.column };
      if (e.syntax) throw new NonRetryableError(`The script does not compile: ${e.name}: ${e.message}${at(e)}`, { details });
      throw new StepError(`The script threw ${e.name}: ${e.message}${at(e)}`, { details });
    }
    case 'timeout':
      throw new StepError(
        `The script did not finish within ${seconds(job.timeoutMs)} and was stopped, with every process it started; raise timeout: if it needs longer.`,
      );
    case 'memory':
      throw memoryError();
    case 'exit': {
      const tail = stderrTail.join('\n');
      const { how, signal } = describeExit(ending, sandboxed);
      throw new StepError(`The script process ${how} before returning a result${tail ? `: ${tail.slice(-500)}` : ''}.`, {
        details: { exit_code: signal ? null : ending.code, signal },
      });
    }
  }
}

/** Runs one node script; resolves with its JSON result. */
export async function runNodeScript(ctx: ActionContext, job: NodeScriptJob): Promise<unknown> {
  const memoryMb = job.memoryMb ?? DEFAULT_NODE_MEMORY_MB;
  const warn = (message: string) => ctx.services.logger.warn(message);
  const isolation = scriptIsolation(ctx.services.config.env, ctx.services.config.home, warn);
  const processes = await processPool(isolation, warn);
  const stdout = new LogLines('info', ctx.log, (text) => ctx.redact(text));
  const stderr = new LogLines('warn', ctx.log, (text) => ctx.redact(text));
  let stopGroup = () => {};
  const cleanups: Array<() => void> = [];
  const { child: running, workspace } = await processes.take(memoryMb);
  try {
    stopGroup = groupKiller(running.pid);
    running.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    let heapExhausted = false;
    running.stderr?.on('data', (chunk: Buffer) => {
      if (heapExhausted) return; // V8's native stack trace after its verdict helps no one
      const verdict = /^.*(JavaScript heap out of memory|Reached heap limit).*$/m.exec(chunk.toString());
      if (verdict) heapExhausted = true;
      stderr.push(verdict ? `${verdict[0]}\n` : chunk);
    });
    const closed = new Promise<void>((resolve) => running.once('close', () => resolve()));
    let reply: Reply | undefined;
    const ending = await new Promise<Ending>((resolve) => {
      running.once('message', (message: Reply) => {
        reply = message;
        resolve({ kind: 'reply', reply: message });
      });
      // The process sends its reply and exits at once; the exit may be noticed before the
      // reply is read from the channel (a busy worker), so an exit only counts once the
      // channel is closed with no reply in it.
      void exited(running)
        .then(async (exit) => {
          await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
          return exit;
        })
        .then(({ code, signal }) => resolve(reply ? { kind: 'reply', reply } : { kind: 'exit', code, signal }));
      const timer = setTimeout(() => resolve({ kind: 'timeout' }), job.timeoutMs);
      cleanups.push(() => clearTimeout(timer));
      cleanups.push(watchMemory(running, (memoryMb * 1.25 + 128) * 1024 * 1024, () => resolve({ kind: 'memory' })));
      const onAbort = () => resolve({ kind: 'aborted' });
      if (ctx.signal.aborted) onAbort();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => ctx.signal.removeEventListener('abort', onAbort));
      const message = {
        code: job.code,
        context: job.context,
        env: scriptEnvironment(workspace.dir, job.env),
        cwd: workspace.dir,
        maxResultBytes: MAX_RESULT_BYTES,
      };
      // A process that died meanwhile is reported by its exit above.
      running.send(message, () => undefined);
    });
    stopGroup();
    // All output is in once the pipes close (the group is dead, so nothing holds them).
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
    stdout.end();
    stderr.end();
    if (ending.kind === 'aborted') throw ctx.signal.reason;
    const sandbox = ending.kind === 'exit' && ending.code === 1 ? sandboxFailure(isolation, stderr.tail) : null;
    if (sandbox) throw sandbox;
    return outcome(
      heapExhausted && ending.kind === 'exit' ? { kind: 'memory' } : ending,
      job,
      memoryMb,
      stderr.tail,
      isolation.kind === 'bwrap',
    );
  } finally {
    for (const cleanup of cleanups) cleanup();
    stopGroup();
    await workspace.remove().catch((err) => warn(`could not remove the script folder ${workspace.dir}: ${(err as Error).message}`));
  }
}
