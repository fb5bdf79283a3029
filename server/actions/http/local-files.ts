// Local files a step may send out (multipart uploads, email attachments). Reading is
// confined exactly like the file actions (server/files/roots.ts), plus KhaosFlow's own
// $KHAOSFLOW_HOME/files, where downloaded HTTP answers are kept, so a step can attach
// what an earlier step downloaded.
import fs from 'node:fs/promises';
import { NonRetryableError } from '../../core/errors.js';
import { confineToRoots, fileRoots, type FileRoots, khaosflowFilesDir } from '../../files/roots.js';

function readableRoots(home: string, env: NodeJS.ProcessEnv): FileRoots {
  const roots = fileRoots(env, home);
  const own = khaosflowFilesDir(home);
  return roots.folders.includes(own) ? roots : { ...roots, folders: [...roots.folders, own] };
}

/**
 * The real path of a readable regular file inside the allowed roots.
 * @throws NonRetryableError naming the file and the roots
 */
export async function readableFile(file: string, home: string, what: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let real: string;
  try {
    real = await confineToRoots(file, readableRoots(home, env));
  } catch (err) {
    throw new NonRetryableError(`${what} ${(err as Error).message}`);
  }
  const stat = await fs.stat(real).catch(() => null);
  if (!stat) throw new NonRetryableError(`${what} ${file} does not exist.`);
  if (!stat.isFile()) throw new NonRetryableError(`${what} ${file} is not a regular file.`);
  return real;
}
