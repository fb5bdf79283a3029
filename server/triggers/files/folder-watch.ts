// Watches one folder for one workflow. chokidar reports changes as they happen; a
// scan at start (and every `rescanEveryMs`, in case the OS dropped an event) compares
// the folder with what the workflow has already handled, so files created while
// KhaosFlow was down fire once at start-up. A changed file is only handled once its
// size and mtime have held still for `stableMs`: a file still being written fires
// once, complete, not once per chunk. The folder must lie inside the file roots, and
// a file whose real path leaves them (a symbolic link) is skipped (./confine.ts).
import fs from 'node:fs/promises';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Db } from '../../../db/client.js';
import { forgetFile, recordFile, seenFiles, type SeenFile } from '../../../db/queries/triggers-files.js';
import type { FileRoots } from '../../files/roots.js';
import type { Logger } from '../../logger.js';
import type { FileWatcherTrigger } from '../../workflow/types.js';
import { fileInsideRoots, watchableFolder } from './confine.js';
import { globMatcher } from '../../core/glob.js';

export const DEFAULT_STABLE_MS = 1_000;

type FileEvent = FileWatcherTrigger['events'][number];

interface Pending {
  size: number;
  mtimeMs: number;
  since: number;
}

export interface FolderWatchOptions {
  db: Db;
  logger: Logger;
  workflowId: number;
  slug: string;
  trigger: FileWatcherTrigger;
  /** The folders file actions may touch; the watched folder and every file that fires must be inside them. */
  roots: FileRoots;
  pollEveryMs?: number;
  rescanEveryMs?: number;
}

export interface FolderWatch {
  stop(): Promise<void>;
}

/**
 * Lists files under `root` (one level unless recursive), relative paths with "/".
 * Symbolic links are listed (check() follows them and confines the target) but never
 * descended into, like the chokidar watch.
 */
async function listFiles(root: string, recursive: boolean): Promise<string[]> {
  const entries = await fs.readdir(root, { withFileTypes: true, recursive });
  return entries
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

/**
 * Throws WatchRefused when the file roots do not allow the folder, and other errors
 * when it cannot be read (the caller retries later).
 */
export async function startFolderWatch(opts: FolderWatchOptions): Promise<FolderWatch> {
  const { trigger, logger } = opts;
  // `root` names files in events and in file_watch_state; `watched`, its real path, is
  // what is read, so a link swapped in later cannot move the watch out of the roots.
  const { folder: root, real: watched } = await watchableFolder(trigger.path, opts.roots);
  const asNamed = (file: string) => path.join(root, path.relative(watched, file));
  const stableMs = trigger.debounce ?? DEFAULT_STABLE_MS;
  const matches = globMatcher(trigger.pattern);
  const known = new Map<string, SeenFile>((await seenFiles(opts.db, opts.workflowId)).map((f) => [f.path, f]));
  const pending = new Map<string, Pending>();
  /** Files skipped for leading out of the roots, so each is logged once. */
  const refused = new Set<string>();
  let busy: Promise<void> = Promise.resolve();
  let stopped = false;

  const relevant = (file: string) => {
    const rel = path.relative(root, file).split(path.sep).join('/');
    return !rel.startsWith('..') && (trigger.recursive || !rel.includes('/')) && matches(rel);
  };

  const fire = async (event: FileEvent, file: string, version: SeenFile): Promise<void> => {
    const run = trigger.events.includes(event)
      ? {
          slug: opts.slug,
          trigger: { data: { path: file, name: path.basename(file), size: version.size, mtime: version.mtime.toISOString(), event } },
          dedupeKey: `file:${opts.slug}:${file}:${event === 'deleted' ? 'deleted:' : ''}${version.mtime.getTime()}:${version.size}`,
        }
      : undefined;
    // On failure the file stays unrecorded, so the next scan finds it again.
    if (event === 'deleted') await forgetFile(opts.db, opts.workflowId, file, run);
    else await recordFile(opts.db, opts.workflowId, version, run);
    if (event === 'deleted') known.delete(file);
    else known.set(file, version);
    if (run) logger.debug({ workflow: opts.slug, file, event }, 'file watcher fired');
  };

  /** Notes a file to look at; it is handled once it has been still for stableMs. */
  const observe = (file: string) => {
    if (!pending.has(file)) pending.set(file, { size: -1, mtimeMs: -1, since: Date.now() });
  };

  const check = async () => {
    for (const [file, seen] of [...pending]) {
      let stat: import('node:fs').Stats;
      try {
        stat = await fs.stat(file);
      } catch {
        pending.delete(file);
        const last = known.get(file);
        if (last) await fire('deleted', file, last);
        continue;
      }
      if (!stat.isFile()) {
        pending.delete(file);
        continue;
      }
      const mtimeMs = Math.floor(stat.mtimeMs);
      if (stat.size !== seen.size || mtimeMs !== seen.mtimeMs) {
        pending.set(file, { size: stat.size, mtimeMs, since: Date.now() });
        continue;
      }
      if (Date.now() - seen.since < stableMs) continue;
      pending.delete(file);
      const last = known.get(file);
      if (last && last.size === stat.size && last.mtime.getTime() === mtimeMs) continue;
      if (!(await fileInsideRoots(file, opts.roots))) {
        if (!refused.has(file))
          logger.warn(
            { workflow: opts.slug, file },
            'file watcher skipped a symbolic link that leads outside the file roots; it starts no run',
          );
        refused.add(file);
        continue;
      }
      refused.delete(file);
      await fire(last ? 'modified' : 'created', file, { path: file, size: stat.size, mtime: new Date(mtimeMs) });
    }
  };

  /** Finds what changed without an event: new, changed and vanished files. */
  const scan = async () => {
    const present = new Set((await listFiles(watched, trigger.recursive)).map((rel) => path.join(root, rel)).filter(relevant));
    for (const file of present) {
      const last = known.get(file);
      const stat = await fs.stat(file).catch(() => null);
      if (!last || !stat || stat.size !== last.size || Math.floor(stat.mtimeMs) !== last.mtime.getTime()) observe(file);
    }
    for (const file of known.keys()) if (!present.has(file)) observe(file);
  };

  const serially = (work: () => Promise<void>) => {
    busy = busy
      .then(() => (stopped ? undefined : work()))
      .catch((err) => {
        logger.warn({ err: (err as Error).message, workflow: opts.slug, folder: root }, 'file watcher step failed; retrying');
      });
    return busy;
  };

  await fs.access(watched);
  // followSymlinks: false - a linked subfolder could lead out of the roots, and
  // watching it would already read outside them; a linked file is reported as itself.
  const watcher: FSWatcher = watch(watched, {
    ignoreInitial: true,
    depth: trigger.recursive ? 99 : 0,
    ignorePermissionErrors: true,
    followSymlinks: false,
  });
  const onPath = (file: string) => {
    const named = asNamed(file);
    if (relevant(named)) observe(named);
  };
  watcher.on('add', onPath).on('change', onPath).on('unlink', onPath);
  watcher.on('error', (err) => logger.warn({ err, folder: root }, 'file watcher error; the periodic scan covers what it missed'));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  await serially(scan);

  const poll = setInterval(() => {
    if (pending.size > 0) void serially(check);
  }, opts.pollEveryMs ?? 100);
  const rescan = setInterval(() => void serially(scan), opts.rescanEveryMs ?? 30_000);
  poll.unref();
  rescan.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearInterval(rescan);
      await watcher.close();
      await busy;
    },
  };
}
