// Script processes run in their own process group (spawned detached), so a timeout or
// the end of a run can kill the script together with everything it started: a
// `sleep 1000 &` or a child node process dies with it. A process that starts its own
// session (setsid, a daemon) leaves the group and is out of reach.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';

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

/** Resolves with the exit code and signal once `child` has exited. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
