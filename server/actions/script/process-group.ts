// Script processes run in their own process group (spawned detached), so a timeout or
// the end of a run can kill the script together with everything it started: a
// `sleep 1000 &` or a child node process dies with it. A process that starts its own
// session (setsid, a daemon) leaves the group and is out of reach.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

/** SIGKILLs the whole process group led by `pid`; a group already gone is fine. */
export function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: nothing left in the group.
  }
}

/**
 * A killer for one script's group that acts once: after the group is gone its id may,
 * however rarely, be given to an unrelated process group.
 */
export function groupKiller(pid: number | undefined): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    killGroup(pid);
  };
}

/** Resident memory of a process in bytes (Linux /proc), or null when unknown. */
export function residentBytes(pid: number): number | null {
  try {
    const pages = Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return Number.isFinite(pages) ? pages * 4096 : null;
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Resident memory of `pid` and everything it started (a sandbox and the script inside), or null when unknown. */
export function treeResidentBytes(pid: number): number | null {
  const own = residentBytes(pid);
  if (own === null) return null;
  let total = own;
  const queue = childrenOf(pid);
  for (let seen = 0; queue.length && seen < 1000; seen++) {
    const next = queue.shift()!;
    total += residentBytes(next) ?? 0;
    queue.push(...childrenOf(next));
  }
  return total;
}

/** Resolves with the exit code and signal once `child` has exited. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

const signalNames = new Map(Object.entries(os.constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]));

const why: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: ' (the usual causes: the machine ran out of memory and the kernel stopped it, or something outside KhaosFlow killed it)',
  SIGSEGV: ' (it crashed)',
  SIGABRT: ' (it aborted, often after running out of memory)',
  SIGTERM: ' (something outside KhaosFlow asked it to stop)',
};

/**
 * How a script process ended, in words. bwrap does not die of its script's signal: it
 * exits with 128 + the signal number, like a shell, so in a sandbox such codes name
 * the signal.
 * @example describeExit({ code: 137, signal: null }, true) // { how: 'was killed by SIGKILL (...)', signal: 'SIGKILL' }
 */
export function describeExit(
  exit: { code: number | null; signal: NodeJS.Signals | null },
  sandboxed: boolean,
): { how: string; signal: NodeJS.Signals | null } {
  const signal = exit.signal ?? (sandboxed && exit.code !== null && exit.code > 128 ? (signalNames.get(exit.code - 128) ?? null) : null);
  if (signal) return { how: `was killed by ${signal}${why[signal] ?? ''}`, signal };
  return { how: `exited with code ${exit.code}`, signal: null };
}
