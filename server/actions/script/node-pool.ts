// A few node processes started ahead of time, so a script does not wait ~50 ms for
// node to boot. Each runs one script and exits (see node-bootstrap.ts); the pool then
// starts a replacement. Processes are started detached (their own process group, for
// killing a script with everything it spawned), as the script user, with the scrubbed
// environment, and with the heap limit of the default memory size; a step asking for
// another memory size gets a fresh process of its own. Each process gets its working
// folder when it starts: a sandboxed process (sandbox.ts) sees no other folder to write.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { NODE_BOOTSTRAP } from './node-bootstrap.js';
import { killGroup } from './process-group.js';
import { sandboxed, type ScriptIsolation } from './sandbox.js';
import type { ScriptUser } from './script-user.js';
import { createWorkspace, scriptEnvironment, type Workspace } from './workspace.js';

export const DEFAULT_NODE_MEMORY_MB = 512;
const POOL_SIZE = 2;

/** A script process and the folder it works in (removed by whoever ends the process). */
export interface ScriptProcess {
  child: ChildProcess;
  workspace: Workspace;
}

async function startProcess(memoryMb: number, user: ScriptUser | null, isolation: ScriptIsolation): Promise<ScriptProcess> {
  const workspace = await createWorkspace(user);
  const { file, args } = sandboxed(
    isolation,
    [process.execPath, `--max-old-space-size=${memoryMb}`, '-e', NODE_BOOTSTRAP],
    workspace.dir,
    user ?? undefined,
  );
  const child = spawn(file, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
    cwd: workspace.dir,
    env: scriptEnvironment(workspace.dir),
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve({ child, workspace }));
    child.once('error', (err) => {
      void workspace.remove().catch(() => undefined);
      reject(err);
    });
  });
}

const removeNow = (workspace: Workspace) => fs.rmSync(workspace.dir, { recursive: true, force: true });

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
  private readonly idle: ScriptProcess[] = [];
  private filling = false;

  constructor(
    private readonly user: ScriptUser | null,
    private readonly isolation: ScriptIsolation,
    private readonly size = POOL_SIZE,
  ) {
    process.once('exit', () => this.close());
  }

  /** Ends the idle processes (a pool replaced by one with other settings, or the process exiting). */
  close(): void {
    for (const idle of this.idle.splice(0)) {
      killGroup(idle.child.pid);
      removeNow(idle.workspace);
    }
  }

  /** A process ready for one job with a heap limit of `memoryMb`. */
  async take(memoryMb: number): Promise<ScriptProcess> {
    let taken: ScriptProcess | undefined;
    if (memoryMb === DEFAULT_NODE_MEMORY_MB) {
      while (this.idle.length && !taken) {
        const candidate = this.idle.shift()!;
        if (usable(candidate.child)) taken = candidate;
        else {
          killGroup(candidate.child.pid);
          removeNow(candidate.workspace);
        }
      }
      this.fill();
    }
    taken ??= await startProcess(memoryMb, this.user, this.isolation);
    reattachToLoop(taken.child);
    return taken;
  }

  private fill(): void {
    if (this.filling) return;
    this.filling = true;
    void (async () => {
      try {
        while (this.idle.length < this.size) {
          const started = await startProcess(DEFAULT_NODE_MEMORY_MB, this.user, this.isolation);
          detachFromLoop(started.child);
          started.child.once('exit', () => {
            const at = this.idle.indexOf(started);
            if (at === -1) return; // taken: the script's runner owns it now
            this.idle.splice(at, 1);
            void started.workspace.remove().catch(() => undefined);
          });
          this.idle.push(started);
        }
      } catch {
        // Starting failed (out of processes?); the next take() starts one on demand and reports the error.
      } finally {
        this.filling = false;
      }
    })();
  }
}
