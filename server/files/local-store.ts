// Local disk. Paths reaching this store were already confined to the file roots and
// resolved to their real location (see roots.ts), so it works on plain absolute paths;
// files are opened through open-confined.ts, which checks the roots again by descriptor.
import { constants, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NonRetryableError } from '../core/errors.js';
import { openConfined } from './open-confined.js';
import { isPartialName, partialPath } from './partial-name.js';
import type { FileRoots } from './roots.js';
import type { FileEntry, FileStore, WriteOptions } from './store.js';

function entryOf(full: string, stat: { isFile(): boolean; isDirectory(): boolean; size: number; mtime: Date }): FileEntry {
  return {
    name: path.basename(full),
    path: full,
    type: stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other',
    size: stat.isFile() ? stat.size : null,
    modified: stat.mtime.toISOString(),
  };
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

async function writeAtomically(target: string, source: Readable, opts: WriteOptions, roots: FileRoots): Promise<void> {
  const partial = partialPath(target);
  const handle = await openConfined(partial, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, roots).catch((err: unknown) => {
    if (code(err) === 'EEXIST') throw new NonRetryableError(`${partial} exists: another write of ${target} is under way.`);
    throw err;
  });
  // flush: the bytes are on disk before the rename makes the file visible.
  const out = createWriteStream('', { fd: handle, flush: true });
  try {
    await pipeline(source, out, { signal: opts.signal });
    if (opts.mode === 'create') {
      // link() fails when the target exists, where rename() would replace it.
      await fs.link(partial, target);
      await fs.unlink(partial);
    } else {
      await fs.rename(partial, target);
    }
  } catch (err) {
    // A source failing at once can beat the file's own open: wait for the stream to
    // close, or the partial file would appear after it was removed.
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    await fs.rm(partial, { force: true });
    if (code(err) === 'EEXIST')
      throw new NonRetryableError(`${target} already exists; use mode: overwrite (or overwrite: true) to replace it.`);
    throw err;
  }
}

/** `roots`: the file roots the paths given to it were confined to. */
export function localStore(roots: FileRoots): FileStore {
  return {
    display: (p) => p,
    async read(p) {
      const handle = await openConfined(p, constants.O_RDONLY, roots).catch((err: unknown) => {
        if (code(err) === 'ENOENT') throw new NonRetryableError(`${p} does not exist.`);
        if (code(err) === 'EISDIR') throw new NonRetryableError(`${p} is a folder, not a file.`);
        throw err;
      });
      const stat = await handle.stat();
      if (stat.isDirectory()) {
        await handle.close();
        throw new NonRetryableError(`${p} is a folder, not a file.`);
      }
      // A pipe or device has no size to announce; an S3 upload then goes in parts.
      return { stream: handle.createReadStream(), size: stat.isFile() ? stat.size : null };
    },
    async write(p, source, opts) {
      await fs.mkdir(path.dirname(p), { recursive: true });
      // Appending adds to a file that is already visible, so it cannot go through a partial name.
      if (opts.mode === 'append') {
        const handle = await openConfined(p, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, roots);
        return pipeline(source, createWriteStream('', { fd: handle, flush: true }), { signal: opts.signal });
      }
      return writeAtomically(p, source, opts, roots);
    },
    async stat(p) {
      try {
        return entryOf(p, await fs.stat(p));
      } catch (err) {
        if (code(err) === 'ENOENT') return null;
        throw err;
      }
    },
    async list(p, recursive) {
      const out: FileEntry[] = [];
      const walk = async (dir: string) => {
        const entries = await fs.readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
          if (code(err) === 'ENOENT') throw new NonRetryableError(`The folder ${dir} does not exist.`);
          if (code(err) === 'ENOTDIR') throw new NonRetryableError(`${dir} is a file, not a folder.`);
          throw err;
        });
        for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
          if (isPartialName(entry.name)) continue;
          const full = path.join(dir, entry.name);
          // Symbolic links are not followed: one could lead out of the file roots.
          const stat = await fs.lstat(full);
          if (recursive && stat.isDirectory()) await walk(full);
          else if (!recursive || stat.isFile()) out.push(entryOf(full, stat));
        }
      };
      await walk(p);
      return out;
    },
    async remove(p) {
      try {
        const stat = await fs.lstat(p);
        if (stat.isDirectory()) throw new NonRetryableError(`${p} is a folder; file_delete deletes files only.`);
        await fs.unlink(p);
        return true;
      } catch (err) {
        if (code(err) === 'ENOENT') return false;
        throw err;
      }
    },
    async rename(from, to, overwrite) {
      await fs.mkdir(path.dirname(to), { recursive: true });
      try {
        if (overwrite) await fs.rename(from, to);
        else {
          await fs.link(from, to);
          await fs.unlink(from);
        }
      } catch (err) {
        if (code(err) === 'ENOENT') throw new NonRetryableError(`${from} does not exist.`);
        if (code(err) === 'EEXIST') throw new NonRetryableError(`${to} already exists; set overwrite: true to replace it.`);
        throw err;
      }
    },
    async close() {},
  };
}
