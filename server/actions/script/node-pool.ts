// A few node processes started ahead of time, so a script does not wait ~50 ms for
// node to boot. Each runs one script and exits (see node-bootstrap.ts); the pool then
// starts a replacement. Processes are started detached (their own process group, for
// killing a script with everything it spawned), as the script user, with the scrubbed
// environment, and with the heap limit of the default memory size; a step asking for
// another memory size gets a fresh process of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { NODE_BOOTSTRAP } from './node-bootstrap.js';
import { killGroup } from './process-group.js';
import type { ScriptUser } from './script-user.js';
import { scriptEnvironment } from './workspace.js';

export const DEFAULT_NODE_MEMORY_MB = 512;
const POOL_SIZE = 2;

function startProcess(memoryMb: number, user: ScriptUser | null): Promise<ChildProcess> {
  const child = spawn(process.execPath, [`--max-old-space-size=${memoryMb}`, '-e', NODE_BOOTSTRAP], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
    cwd: '/',
    env: scriptEnvironment('/'),
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve(child));
    child.once('error', reject);
  });
}

/** Lets an idle process sit without keeping the worker's event loop alive. */
function detachFromLoop(child: ChildProcess): void {
  child.unref();
  child.channel?.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
}

function reattachToLoop(child: ChildProcess): void {
  child.ref();
  child.channel?.ref();
  for (const stream of [child.stdout, child.stderr]) (stream as unknown as { ref?: () => void } | null)?.ref?.();
}

const usable = (child: ChildProcess) => child.exitCode === null && child.signalCode === null && child.connected;

export class NodeProcessPool {
  private readonly idle: ChildProcess[] = [];
  private filling = false;

  constructor(
    private readonly user: ScriptUser | null,
    private readonly size = POOL_SIZE,
  ) {
    process.once('exit', () => {
      for (const child of this.idle) killGroup(child.pid);
    });
  }

  /** A process ready for one job with a heap limit of `memoryMb`. */
  async take(memoryMb: number): Promise<ChildProcess> {
    let child: ChildProcess | undefined;
    if (memoryMb === DEFAULT_NODE_MEMORY_MB) {
      while (this.idle.length && !child) {
        const candidate = this.idle.shift()!;
        if (usable(candidate)) child = candidate;
        else killGroup(candidate.pid);
      }
      this.fill();
    }
    child ??= await startProcess(memoryMb, this.user);
    reattachToLoop(child);
    return child;
  }

  private fill(): void {
    if (this.filling) return;
    this.filling = true;
    void (async () => {
      try {
        while (this.idle.length < this.size) {
          const child = await startProcess(DEFAULT_NODE_MEMORY_MB, this.user);
          detachFromLoop(child);
          child.once('exit', () => {
            const at = this.idle.indexOf(child);
            if (at !== -1) this.idle.splice(at, 1);
          });
          this.idle.push(child);
        }
      } catch {
        // Starting failed (out of processes?); the next take() starts one on demand and reports the error.
      } finally {
        this.filling = false;
      }
    })();
  }
}
