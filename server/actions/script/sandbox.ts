// Where a script runs: inside a bubblewrap sandbox (`bwrap`), so workflow code never
// runs with the engine's rights, whatever user KhaosFlow runs as. The sandbox has its
// own user, process, IPC and network namespaces: the script sees only its own
// processes in /proc (not the worker's environment), the system folders read-only,
// a private /tmp with its working folder in it, the file roots (where scripts and
// file steps exchange files) writable, and KhaosFlow's home folder (secret.key, the
// embedded database) hidden even when a file root contains it. There is no network
// unless KHAOSFLOW_SCRIPT_NETWORK=host, because raw sockets escape the outbound
// policy (metadata addresses, internal services).
//
// KHAOSFLOW_SCRIPT_ISOLATION=none runs scripts without the sandbox (the operator
// accepts that workflow authors are trusted); without bwrap and without that
// setting, run_script refuses to run.
import fs from 'node:fs';
import path from 'node:path';
import { NonRetryableError } from '../../core/errors.js';
import { fileRoots } from '../../files/roots.js';

export type ScriptIsolation = { kind: 'none' } | { kind: 'bwrap'; bwrap: string; network: boolean; writable: string[]; hidden: string };

const SYSTEM_FOLDERS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/opt'];

const bwrapOnPath = new Map<string, string | null>();

/** Where bwrap is on `PATH`, or null; looked up once per PATH. */
function findBwrap(PATH = ''): string | null {
  let found = bwrapOnPath.get(PATH);
  if (found === undefined) {
    found = null;
    for (const folder of PATH.split(':').filter(Boolean)) {
      const candidate = path.join(folder, 'bwrap');
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        found = candidate;
        break;
      } catch {
        // not here
      }
    }
    bwrapOnPath.set(PATH, found);
  }
  return found;
}

let warnedNone = false;

/**
 * The isolation in force for `env`; throws a NonRetryableError saying what to do when
 * bwrap is missing and isolation was not turned off.
 */
export function scriptIsolation(env: NodeJS.ProcessEnv, home: string, warn: (message: string) => void): ScriptIsolation {
  const setting = (env.KHAOSFLOW_SCRIPT_ISOLATION ?? 'bwrap').trim().toLowerCase();
  if (setting === 'none') {
    if (!warnedNone) {
      warnedNone = true;
      warn(
        'KHAOSFLOW_SCRIPT_ISOLATION=none: run_script steps run WITHOUT a sandbox, with the rights of the KhaosFlow process ' +
          '(they can read its environment and secret key and reach any address); only do this when every workflow author is trusted.',
      );
    }
    return { kind: 'none' };
  }
  if (setting !== 'bwrap' && setting !== '')
    throw new NonRetryableError(`KHAOSFLOW_SCRIPT_ISOLATION is "${setting}"; use bwrap (the default) or none.`);
  const bwrap = findBwrap(env.PATH);
  if (!bwrap)
    throw new NonRetryableError(
      'run_script needs bubblewrap to isolate scripts from KhaosFlow (its environment, secret key and network), and bwrap is not installed; ' +
        'install it (Debian/Ubuntu: apt-get install bubblewrap) or set KHAOSFLOW_SCRIPT_ISOLATION=none to run scripts unisolated.',
    );
  const network = (env.KHAOSFLOW_SCRIPT_NETWORK ?? 'none').trim().toLowerCase();
  if (network !== 'none' && network !== 'host' && network !== '')
    throw new NonRetryableError(`KHAOSFLOW_SCRIPT_NETWORK is "${network}"; use none (the default) or host.`);
  return {
    kind: 'bwrap',
    bwrap,
    network: network === 'host',
    writable: fileRoots(env, home).folders,
    hidden: path.resolve(home),
  };
}

const inside = (child: string, folder: string) => child === folder || child.startsWith(folder.endsWith('/') ? folder : `${folder}/`);

/** Folders that exist (bind sources must). */
const existing = (folders: string[]) => folders.filter((folder) => fs.existsSync(folder));

/**
 * Whether `user` may reach `folder`: bwrap resolves bind sources as the user it runs
 * as, so a file root inside a folder only root can enter (a 0700 KhaosFlow home, say)
 * would stop every script from starting. Such a root is left out of the sandbox: the
 * script could not have written there as that user anyway.
 */
function reachableBy(folder: string, user: { uid: number; gid: number } | undefined): boolean {
  if (!user) return true;
  let current = path.resolve(folder);
  for (;;) {
    const stat = fs.statSync(current, { throwIfNoEntry: false });
    if (!stat) return false;
    const bit = stat.uid === user.uid ? 0o100 : stat.gid === user.gid ? 0o010 : 0o001;
    if ((stat.mode & bit) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * The command that runs `command` inside the sandbox with `workspace` as its
 * writable working folder (bound at the same path, so messages name real paths).
 */
export function sandboxed(
  isolation: ScriptIsolation,
  command: string[],
  workspace: string,
  user?: { uid: number; gid: number },
): { file: string; args: string[] } {
  if (isolation.kind === 'none') return { file: command[0]!, args: command.slice(1) };
  const args = ['--unshare-all', ...(isolation.network ? ['--share-net'] : []), '--die-with-parent'];
  // The node binary may live outside /usr (nvm, /usr/local is inside /usr already).
  const nodePrefix = path.dirname(path.dirname(fs.realpathSync(process.execPath)));
  const system = new Set([...SYSTEM_FOLDERS, ...(SYSTEM_FOLDERS.some((f) => inside(nodePrefix, f)) ? [] : [nodePrefix])]);
  for (const folder of system) args.push('--ro-bind-try', folder, folder);
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  const writable = existing(isolation.writable).filter((folder) => reachableBy(folder, user));
  for (const folder of writable) args.push('--bind', folder, folder);
  // KhaosFlow's home may sit inside /etc, /opt or a file root: cover it, then give back the roots inside it.
  if (fs.existsSync(isolation.hidden) && [...system, ...writable].some((f) => inside(isolation.hidden, f))) {
    args.push('--tmpfs', isolation.hidden);
    for (const folder of writable) if (folder !== isolation.hidden && inside(folder, isolation.hidden)) args.push('--bind', folder, folder);
  }
  args.push('--bind', workspace, workspace, '--chdir', workspace, '--', ...command);
  return { file: isolation.bwrap, args };
}

/**
 * The error for a sandbox that could not start (bwrap prints `bwrap: ...` and exits
 * 1 before the script runs), or null when the script itself ended.
 */
export function sandboxFailure(isolation: ScriptIsolation, stderrLines: string[]): NonRetryableError | null {
  if (isolation.kind !== 'bwrap') return null;
  const line = stderrLines.find((l) => l.startsWith('bwrap: '));
  if (!line) return null;
  return new NonRetryableError(
    `The script sandbox (bubblewrap) could not start: ${line.slice('bwrap: '.length)}. It needs unprivileged user namespaces ` +
      '(sysctl kernel.unprivileged_userns_clone=1; in a container, a seccomp profile that allows them), ' +
      'or set KHAOSFLOW_SCRIPT_ISOLATION=none to run scripts unisolated.',
  );
}
