// What a script process gets from the machine: a fresh working folder of its own
// (removed afterwards) and an environment with nothing of the worker's in it. The
// worker's variables hold DATABASE_URL and KHAOSFLOW_SECRET_KEY; a script sees PATH,
// HOME (its working folder), LANG and the step's own `env:` only.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ScriptUser } from './script-user.js';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface Workspace {
  dir: string;
  remove(): Promise<void>;
}

/** A private folder for one script run, owned by the script user. */
export async function createWorkspace(user: ScriptUser | null): Promise<Workspace> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'khaosflow-script-'));
  await fs.chmod(dir, 0o700);
  if (user) await fs.chown(dir, user.uid, user.gid);
  return { dir, remove: () => fs.rm(dir, { recursive: true, force: true, maxRetries: 3 }) };
}

/** The complete environment of a script process. */
export function scriptEnvironment(home: string, stepEnv: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH || DEFAULT_PATH,
    HOME: home,
    LANG: process.env.LANG || 'C.UTF-8',
    ...stepEnv,
  };
}
