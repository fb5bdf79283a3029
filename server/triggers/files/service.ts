// File watchers as a cluster singleton: one folder watch per enabled workflow with a
// file_watcher trigger, restarted when its trigger changes, retried every
// `retryEveryMs` while its folder cannot be read.
import { currentWorkflows } from '../../../db/queries/workflow-store.js';
import type { Services } from '../../services.js';
import type { Singleton } from '../../singletons.js';
import type { FileWatcherTrigger } from '../../workflow/types.js';
import { serialTask } from '../serial-task.js';
import type { WorkflowChangeFeed } from '../workflow-changes.js';
import { startFolderWatch, type FolderWatch } from './folder-watch.js';

export interface FileWatcherOptions {
  services: Services;
  feed: WorkflowChangeFeed;
  retryEveryMs?: number;
}

export function fileWatchersSingleton(opts: FileWatcherOptions): Singleton {
  return { name: 'file-watchers', start: () => startFileWatchers(opts) };
}

export async function startFileWatchers(opts: FileWatcherOptions): Promise<() => Promise<void>> {
  const { db, logger } = opts.services;
  const watches = new Map<number, { key: string; watch: FolderWatch }>();
  const failing = new Map<number, string>();

  const reconcile = serialTask('file watcher reconcile', async () => {
    const desired = new Map<number, { slug: string; trigger: FileWatcherTrigger; key: string }>();
    for (const w of await currentWorkflows(db, { enabledOnly: true })) {
      if (w.definition.trigger?.type !== 'file_watcher') continue;
      const trigger = w.definition.trigger as FileWatcherTrigger;
      desired.set(w.id, { slug: w.slug, trigger, key: JSON.stringify(trigger) });
    }
    for (const [id, current] of watches) {
      if (desired.get(id)?.key === current.key) continue;
      watches.delete(id);
      await current.watch.stop();
    }
    for (const [id, want] of desired) {
      if (watches.has(id)) continue;
      try {
        watches.set(id, { key: want.key, watch: await startFolderWatch({ db, logger, workflowId: id, slug: want.slug, trigger: want.trigger }) });
        if (failing.delete(id)) logger.info({ workflow: want.slug, folder: want.trigger.path }, 'file watcher started');
      } catch (err) {
        const message = (err as Error).message;
        if (failing.get(id) !== message) logger.warn({ workflow: want.slug, folder: want.trigger.path, err: message }, 'cannot watch the folder yet; retrying');
        failing.set(id, message);
      }
    }
    for (const id of failing.keys()) if (!desired.has(id)) failing.delete(id);
  }, logger);

  const unsubscribe = opts.feed.subscribe(() => void reconcile.request());
  const timer = setInterval(() => { if (failing.size > 0) void reconcile.request(); }, opts.retryEveryMs ?? 5_000);
  timer.unref();
  // Not awaited: a slow folder must not hold up the other singletons' start.
  void reconcile.request();

  return async () => {
    unsubscribe();
    clearInterval(timer);
    await reconcile.stop();
    for (const { watch } of watches.values()) await watch.stop();
    watches.clear();
  };
}
