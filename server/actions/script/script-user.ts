// Who scripts run as. A KhaosFlow running as root must not hand root to workflow code:
// scripts then run as an unprivileged system user, `khaosflow-script` (created on first
// use with useradd), or the user named by KHAOSFLOW_SCRIPT_USER, or `nobody` when no
// user can be created. That user cannot read the worker's environment
// (/proc/<pid>/environ), KhaosFlow's secret key file or the embedded database files.
// Run as any other user, KhaosFlow runs scripts as itself (it cannot switch users).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ScriptUser {
  name: string;
  uid: number;
  gid: number;
}

const DEFAULT_USER = 'khaosflow-script';

async function lookup(name: string): Promise<ScriptUser | null> {
  try {
    const { stdout } = await run('getent', ['passwd', name]);
    const [, , uid, gid] = stdout.trim().split(':');
    return uid && gid ? { name, uid: Number(uid), gid: Number(gid) } : null;
  } catch {
    return null;
  }
}

async function create(name: string): Promise<void> {
  try {
    await run('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      name,
    ]);
  } catch (err) {
    // 9: created meanwhile by another KhaosFlow process on this machine.
    if ((err as { code?: number }).code !== 9) throw err;
  }
}

async function resolveScriptUser(env: NodeJS.ProcessEnv, warn: (message: string) => void): Promise<ScriptUser | null> {
  if (process.getuid?.() !== 0) return null;
  const wanted = env.KHAOSFLOW_SCRIPT_USER;
  if (wanted) {
    const user = await lookup(wanted);
    if (!user)
      throw new Error(`KHAOSFLOW_SCRIPT_USER names "${wanted}", which is not a user on this machine; create it or unset the variable.`);
    if (user.uid === 0) throw new Error(`KHAOSFLOW_SCRIPT_USER "${wanted}" is root; scripts must run as an unprivileged user.`);
    return user;
  }
  const existing = await lookup(DEFAULT_USER);
  if (existing) return existing;
  try {
    await create(DEFAULT_USER);
    const created = await lookup(DEFAULT_USER);
    if (created) return created;
  } catch (err) {
    warn(
      `could not create the system user ${DEFAULT_USER} for scripts (${(err as Error).message.split('\n')[0]}); running scripts as nobody`,
    );
  }
  const nobody = await lookup('nobody');
  if (!nobody)
    throw new Error(`KhaosFlow runs as root and found no unprivileged user to run scripts as; create one and set KHAOSFLOW_SCRIPT_USER.`);
  return nobody;
}

let cached: Promise<ScriptUser | null> | null = null;

/** The user scripts run as, or null to run them as this process's own user (not root). */
export function scriptUser(
  warn: (message: string) => void = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ScriptUser | null> {
  cached ??= resolveScriptUser(env, warn).catch((err) => {
    cached = null;
    throw err;
  });
  return cached;
}
