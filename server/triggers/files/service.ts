// File watchers as a cluster singleton: one folder watch per enabled workflow with a
// file_watcher trigger, restarted when its trigger changes, retried every
// `retryEveryMs` while its folder cannot be read or is refused by the file roots
// (refusals are logged at error level, once per reason: see ./confine.ts).
import { clearTriggerProblems, setTriggerProblem } from '../../../db/queries/trigger-problems.js';
import { currentWorkflows } from '../../../db/queries/workflow-store.js';
import { fileRoots } from '../../files/roots.js';
import type { Services } from '../../services.js';
import type { Singleton } from '../../singletons.js';
import type { FileWatcherTrigger, WorkflowDefinition } from '../../workflow/types.js';
import { serialTask } from '../serial-task.js';
import type { WorkflowChangeFeed } from '../workflow-changes.js';
import { createWatchSet, type WantedWatch } from '../watch-set.js';
import { startFolderWatch } from './folder-watch.js';

export interface FileWatcherOptions {
  services: Services;
  feed: WorkflowChangeFeed;
  retryEveryMs?: number;
}

export function fileWatchersSingleton(opts: FileWatcherOptions): Singleton {
  return { name: 'file-watchers', start: () => startFileWatchers(opts) };
}

export async function startFileWatchers(opts: FileWatcherOptions): Promise<() => Promise<void>> {
  const { db, logger, config } = opts.services;
  // The same roots as file actions; config.env is the environment this process was started with.
  const roots = fileRoots(config.env, config.home);
  // Problems recorded by a previous holder may be stale; this holder reports its own.
  await clearTriggerProblems(db, 'file_watcher');
  const watches = createWatchSet({
    logger,
    noun: 'file watcher',
    onProblem: (id, message) => setTriggerProblem(db, id, 'file_watcher', message),
  });

  const reconcile = serialTask(
    'file watcher reconcile',
    async () => {
      const desired = new Map<number, WantedWatch>();
      for (const w of await currentWorkflows<WorkflowDefinition>(db, { enabledOnly: true })) {
        if (w.definition.trigger?.type !== 'file_watcher') continue;
        const trigger = w.definition.trigger as FileWatcherTrigger;
        desired.set(w.id, {
          slug: w.slug,
          key: JSON.stringify(trigger),
          fields: { folder: trigger.path },
          start: () => startFolderWatch({ db, logger, workflowId: w.id, slug: w.slug, trigger, roots }),
        });
      }
      await watches.sync(desired);
    },
    logger,
  );

  const unsubscribe = opts.feed.subscribe(() => void reconcile.request());
  const timer = setInterval(() => {
    if (watches.failing) void reconcile.request();
  }, opts.retryEveryMs ?? 5_000);
  timer.unref();
  // Not awaited: a slow folder must not hold up the other singletons' start.
  void reconcile.request();

  return async () => {
    unsubscribe();
    clearInterval(timer);
    await reconcile.stop();
    await watches.stop();
  };
}
