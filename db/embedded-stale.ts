// A Postgres left running by a KhaosFlow that was killed (kill -9, a crash) still
// holds the data directory. We recognise it from postmaster.pid and take it over,
// so the next start simply works; a Postgres whose owner is still alive (a second
// `khaosflow start` on the same home) is shared instead.
import fs from 'node:fs';
import path from 'node:path';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Resolves once `pid` has exited; throws after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline)
      throw new Error(`Postgres (pid ${pid}) did not stop within ${timeoutMs / 1000} s. Stop it with: kill -INT ${pid}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface RunningPostmaster {
  pid: number;
  port: number;
}

/** The Postgres currently serving `dataDir`, or null. Clears a lock file whose pid was reused. */
export function findRunningPostmaster(dataDir: string, log: (msg: string) => void): RunningPostmaster | null {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null; // Postgres clears a dead lock itself.
  const cmd = commandLine(pid);
  if (!cmd.includes('postgres') || !cmd.includes(dataDir)) {
    // The pid was reused by an unrelated process; Postgres would refuse to start
    // while that pid is alive, so the lock file goes.
    log(`removing stale ${pidFile} (pid ${pid} is not our Postgres)`);
    fs.rmSync(pidFile, { force: true });
    return null;
  }
  return { pid, port };
}

/** The pid of the KhaosFlow process that owns the embedded Postgres, if it is still alive. */
export function liveOwner(ownerFile: string): number | null {
  if (!fs.existsSync(ownerFile)) return null;
  const pid = Number(fs.readFileSync(ownerFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isAlive(pid)) return null;
  return commandLine(pid).includes('node') ? pid : null;
}
