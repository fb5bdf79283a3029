// Opens a local file that roots.ts already judged to lie inside the file roots, closing
// the gap between that check and the open: a path is checked, then opened, and in
// between anyone who can write inside a root could swap the file or a folder on its
// way for a symbolic link that leads out. So the open itself refuses a link as the last
// part (O_NOFOLLOW), and the descriptor's own path, as the kernel reports it in
// /proc/self/fd, must still be inside a root - whatever links the folders went through.
import { constants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import { NonRetryableError } from '../core/errors.js';
import { describeRoots, type FileRoots, realRootFolders, isInsideAny } from './roots.js';

/** Where the kernel says an open descriptor's file is; null where /proc is not mounted. */
async function descriptorPath(handle: FileHandle): Promise<string | null> {
  try {
    return await fs.readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    return null;
  }
}

/**
 * Opens `file` with `flags` (fs.constants) and O_NOFOLLOW, then checks the open
 * descriptor against the roots; throws a NonRetryableError and closes it otherwise.
 * @example const handle = await openConfined('/data/in.csv', constants.O_RDONLY, roots);
 */
export async function openConfined(file: string, flags: number, roots: FileRoots, mode = 0o666): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, flags | constants.O_NOFOLLOW, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP')
      throw new NonRetryableError(
        `${file} is a symbolic link that appeared after the path was checked; file actions refuse it, as it could lead outside the file roots ${describeRoots(roots)}.`,
      );
    throw err;
  }
  const real = await descriptorPath(handle);
  if (real !== null && !isInsideAny(real, await realRootFolders(roots))) {
    await handle.close();
    // A file this call created out there must not stay behind.
    if (flags & constants.O_CREAT && flags & constants.O_EXCL) await fs.rm(file, { force: true });
    throw new NonRetryableError(
      `${file} leads outside the file roots (it was opened as ${real}): a folder on its way was replaced by a symbolic link after the path was checked. Roots: ${describeRoots(roots)}.`,
    );
  }
  return handle;
}
