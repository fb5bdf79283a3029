// Local paths a file action may touch, and folders a file_watcher trigger may watch.
// A workflow's paths are often built from webhook data, so every local path is
// checked against the file roots on disk:
//   - roots: KHAOSFLOW_FILE_ROOTS (colon-separated folders), else the default
//     $KHAOSFLOW_HOME/files. Not the OS temp folder: every local user and process can
//     write there and plant links; an operator who wants /tmp (the spec's backup
//     writes there) lists it in KHAOSFLOW_FILE_ROOTS;
//   - a path with a `..` segment is refused outright, whatever it would normalize to;
//   - a relative path is taken inside the first root;
//   - the deepest existing ancestor of the path is resolved with realpath, so a
//     symbolic link that leads out of every root is refused;
//   - the file is then opened by open-confined.ts, which checks again by descriptor.
import fs from 'node:fs/promises';
import path from 'node:path';
import { NonRetryableError } from '../core/errors.js';

export interface FileRoots {
  /** Absolute folders, in the order given. */
  folders: string[];
  /** Where they came from, for messages. */
  from: 'KHAOSFLOW_FILE_ROOTS' | 'default';
}

/**
 * The roots in force for `env` and KhaosFlow's home folder.
 * @example fileRoots({ KHAOSFLOW_FILE_ROOTS: '/data:/tmp' }, '/srv/kf') // { folders: ['/data', '/tmp'], from: 'KHAOSFLOW_FILE_ROOTS' }
 */
export function fileRoots(env: NodeJS.ProcessEnv, home: string): FileRoots {
  const configured = (env.KHAOSFLOW_FILE_ROOTS ?? '')
    .split(':')
    .map((p) => p.trim())
    .filter(Boolean);
  if (configured.length) return { folders: configured.map((p) => path.resolve(p)), from: 'KHAOSFLOW_FILE_ROOTS' };
  return { folders: [path.join(home, 'files')], from: 'default' };
}

/** `target` as the file system sees it: realpath of its deepest existing ancestor, plus the rest. */
async function realLocation(target: string): Promise<string> {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    try {
      const real = await fs.realpath(current);
      return missing.length ? path.join(real, ...missing.reverse()) : real;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      const parent = path.dirname(current);
      if (parent === current) return target;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

function isInside(child: string, folder: string): boolean {
  return child === folder || child.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

/** Whether `child` (a real path) lies in one of `folders` (real paths). */
export function isInsideAny(child: string, folders: string[]): boolean {
  return folders.some((folder) => isInside(child, folder));
}

/** The roots as the file system sees them (a root may itself be reached through a link). */
export function realRootFolders(roots: FileRoots): Promise<string[]> {
  return Promise.all(roots.folders.map(realLocation));
}

/** The roots for a message, saying where they came from and how to change them. */
export function describeRoots(roots: FileRoots): string {
  return `${roots.folders.join(', ')}${roots.from === 'default' ? ' (the default; set KHAOSFLOW_FILE_ROOTS, colon-separated, to choose others)' : ' (KHAOSFLOW_FILE_ROOTS)'}`;
}

/** Why a path is refused; `real` is where a symbolic link led. */
export type RootsProblem = { problem: 'nul' | 'dotdot' | 'no-roots' | 'outside' } | { problem: 'symlink'; real: string };

/**
 * The rule itself, without the wording: file actions phrase its refusals as step
 * errors (confineToRoots), the file watcher as trigger errors.
 * @example await checkRoots('/tmp/in', roots) // { absolute: '/tmp/in', real: '/tmp/in' }
 */
export async function checkRoots(input: string, roots: FileRoots): Promise<{ absolute: string; real: string } | RootsProblem> {
  if (input.includes('\0')) return { problem: 'nul' };
  if (input.split(/[\\/]+/).includes('..')) return { problem: 'dotdot' };
  const first = roots.folders[0];
  if (!first) return { problem: 'no-roots' };
  const absolute = path.isAbsolute(input) ? path.normalize(input) : path.join(first, input);
  const realRoots = await realRootFolders(roots);
  if (!roots.folders.some((root, i) => isInside(absolute, root) || isInside(absolute, realRoots[i]!))) return { problem: 'outside' };
  const real = await realLocation(absolute);
  if (!realRoots.some((root) => isInside(real, root))) return { problem: 'symlink', real };
  return { absolute, real };
}

/**
 * The real, absolute path of `input` once it is known to lie inside a root; throws a
 * NonRetryableError saying why otherwise.
 * @example await confineToRoots('/tmp/backup.sql.gz', fileRoots(process.env, home)) // '/tmp/backup.sql.gz'
 */
export async function confineToRoots(input: string, roots: FileRoots): Promise<string> {
  const checked = await checkRoots(input, roots);
  if (!('problem' in checked)) return checked.real;
  switch (checked.problem) {
    case 'nul':
      throw new NonRetryableError(`The path ${JSON.stringify(input)} contains a NUL character; file actions refuse it.`);
    case 'dotdot':
      throw new NonRetryableError(
        `The path "${input}" contains "..", which file actions refuse; write the full path inside a file root: ${describeRoots(roots)}.`,
      );
    case 'no-roots':
      throw new NonRetryableError('No file roots are configured; set KHAOSFLOW_FILE_ROOTS to the folders file actions may use.');
    case 'outside':
      throw new NonRetryableError(`The path "${input}" is outside the file roots ${describeRoots(roots)}.`);
    case 'symlink':
      throw new NonRetryableError(
        `The path "${input}" leads outside the file roots through a symbolic link (it resolves to ${checked.real}); file actions follow links only when they stay inside a root: ${describeRoots(roots)}.`,
      );
  }
}

/** Where KhaosFlow keeps files it writes itself (downloaded HTTP bodies, ...). */
export function khaosflowFilesDir(home: string): string {
  return path.join(home, 'files');
}

/** Where downloaded answers are kept, one folder per run (named by the run id). */
export function httpFilesDir(home: string): string {
  return path.join(khaosflowFilesDir(home), 'http');
}
