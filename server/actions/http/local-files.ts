// Local files a step may send out (multipart uploads, email attachments). Reading is
// confined like the file actions: KHAOSFLOW_FILE_ROOTS (colon-separated; the system
// temp folder when unset, where the spec's backup example works) plus KhaosFlow's own
// $KHAOSFLOW_HOME/files, where downloaded answers are kept. Paths are resolved with
// realpath, so a symlink cannot lead outside.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NonRetryableError } from '../../engine/errors.js';

/** Where KhaosFlow keeps files it writes itself (downloaded HTTP bodies, ...). */
export function khaosflowFilesDir(home: string): string {
  return path.join(home, 'files');
}

export function readableRoots(home: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = (env.KHAOSFLOW_FILE_ROOTS ?? '').split(':').filter(Boolean);
  return [...(configured.length ? configured : [os.tmpdir()]), khaosflowFilesDir(home)];
}

async function realRoots(roots: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const root of roots) {
    try {
      out.push(await fs.realpath(root));
    } catch {
      // A root that does not exist yet holds no files.
    }
  }
  return out;
}

/**
 * The real path of a readable regular file inside the allowed roots.
 * @throws NonRetryableError naming the file and the roots
 */
export async function readableFile(file: string, home: string, what: string): Promise<string> {
  const roots = readableRoots(home);
  let real: string;
  try {
    real = await fs.realpath(path.resolve(file));
  } catch {
    throw new NonRetryableError(`${what} ${file} does not exist.`);
  }
  const inside = (await realRoots(roots)).some((root) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
  if (!inside) throw new NonRetryableError(`${what} ${file} is outside the folders steps may read (${roots.join(', ')}); add its folder to KHAOSFLOW_FILE_ROOTS.`);
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw new NonRetryableError(`${what} ${file} is not a regular file.`);
  return real;
}
