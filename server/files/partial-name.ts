// The name a file has while it is being written. It starts with a dot and ends with
// `.partial`, so a `*.csv` pattern (file_list, a file watcher) does not match it, and
// listings leave it out.
import { randomBytes } from 'node:crypto';
import path from 'node:path';

const PARTIAL = /^\..+\.kf-[0-9a-f]{8}\.partial$/;

/**
 * @example partialPath('/data/out/report.csv') // '/data/out/.report.csv.kf-1a2b3c4d.partial'
 */
export function partialPath(target: string, posix = false): string {
  const p = posix ? path.posix : path;
  return p.join(p.dirname(target), `.${p.basename(target)}.kf-${randomBytes(4).toString('hex')}.partial`);
}

export function isPartialName(name: string): boolean {
  return PARTIAL.test(name);
}
