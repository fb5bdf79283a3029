// File watchers obey the file roots exactly like file actions (server/files/roots.ts).
// A watcher reads a folder - the names, sizes and times of its files, and the files
// themselves in the steps of the runs it starts - so a folder the file actions may not
// read may not be watched either, and a file under a watched folder whose real path
// leaves the roots (a symbolic link) starts no run.
import path from 'node:path';
import { checkRoots, type FileRoots, type RootsProblem } from '../../files/roots.js';
import { WatchRefused } from '../watch-set.js';

export interface WatchedFolder {
  /** The folder as the workflow names it (a relative path is taken inside the first root); event paths start with it. */
  folder: string;
  /** Its real path: what chokidar watches, since it is told not to follow symbolic links. */
  real: string;
}

function why(checked: RootsProblem): string {
  switch (checked.problem) {
    case 'nul':
      return 'it contains a NUL character';
    case 'dotdot':
      return 'it contains a ".." segment; write the full path instead';
    case 'no-roots':
      return 'no file roots are configured';
    case 'outside':
      return 'it is outside every file root';
    case 'symlink':
      return `it leads outside the file roots through a symbolic link (it resolves to ${checked.real})`;
  }
}

/**
 * The folder a file_watcher trigger may watch; throws WatchRefused, naming the roots
 * and what to change, when the file roots do not allow it.
 * @example await watchableFolder('/tmp/inbox', fileRoots(env, home)) // { folder: '/tmp/inbox', real: '/tmp/inbox' }
 */
export async function watchableFolder(input: string, roots: FileRoots): Promise<WatchedFolder> {
  const checked = await checkRoots(input, roots);
  if (!('problem' in checked)) return { folder: path.resolve(checked.absolute), real: checked.real };
  const source = roots.from === 'default' ? 'the default roots, as KHAOSFLOW_FILE_ROOTS is not set' : 'from KHAOSFLOW_FILE_ROOTS';
  throw new WatchRefused(
    `The file_watcher folder "${input}" is not watched: ${why(checked)}. File watchers, like file actions, only watch inside the file roots: ${roots.folders.join(', ')} (${source}). ` +
      'To watch it, set KHAOSFLOW_FILE_ROOTS (colon-separated folders; it replaces the defaults) to include it and restart KhaosFlow, or point the trigger at a folder inside a root.',
  );
}

/** True when `file`'s real path is inside a root (false for a symbolic link leading out). */
export async function fileInsideRoots(file: string, roots: FileRoots): Promise<boolean> {
  return !('problem' in (await checkRoots(file, roots)));
}
