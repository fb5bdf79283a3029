// Email triggers as a cluster singleton: one mailbox watch per enabled workflow with
// an `email` trigger, restarted when the trigger or its connection's URL changes
// (a new password is picked up by the periodic reconcile), retried while its server
// cannot be reached. Two KhaosFlow processes never watch the same mailbox for the
// same workflow, and the dedupe key guards the hand-over between them.
import { clearTriggerProblems, setTriggerProblem } from '../../../db/queries/trigger-problems.js';
import { currentWorkflows } from '../../../db/queries/workflow-store.js';
import type { Services } from '../../services.js';
import type { Singleton } from '../../singletons.js';
import type { EmailTrigger, WorkflowDefinition } from '../../workflow/types.js';
import { serialTask } from '../serial-task.js';
import type { WorkflowChangeFeed } from '../workflow-changes.js';
import { createWatchSet, type WantedWatch } from '../watch-set.js';
import { startMailboxWatch } from './mailbox-watch.js';

export interface EmailTriggerOptions {
  services: Services;
  feed: WorkflowChangeFeed;
  /** How often watches that failed to start are retried. */
  retryEveryMs?: number;
  /** How often everything is compared with the definitions and connections again. */
  reconcileEveryMs?: number;
}

export function emailTriggersSingleton(opts: EmailTriggerOptions): Singleton {
  return { name: 'email-triggers', start: () => startEmailTriggers(opts) };
}

export async function startEmailTriggers(opts: EmailTriggerOptions): Promise<() => Promise<void>> {
  const { services } = opts;
  const { db, logger } = services;
  // Problems recorded by a previous holder may be stale; this holder reports its own.
  await clearTriggerProblems(db, 'email');
  const watches = createWatchSet({
    logger,
    noun: 'email trigger',
    onProblem: (id, message) => setTriggerProblem(db, id, 'email', message),
  });

  const reconcile = serialTask(
    'email trigger reconcile',
    async () => {
      const desired = new Map<number, WantedWatch>();
      const emailWorkflows = new Set<number>();
      for (const w of await currentWorkflows<WorkflowDefinition>(db, { enabledOnly: true })) {
        if (w.definition.trigger?.type !== 'email') continue;
        emailWorkflows.add(w.id);
        const trigger = w.definition.trigger as EmailTrigger;
        try {
          const connection = await services.connections.resolve('imap', trigger.connection);
          desired.set(w.id, {
            slug: w.slug,
            key: `${JSON.stringify(trigger)}|${connection.url}`,
            fields: { mailbox: trigger.mailbox },
            start: () => startMailboxWatch({ services, workflowId: w.id, slug: w.slug, trigger, connection }),
          });
        } catch (err) {
          watches.fail(w.id, { workflow: w.slug }, (err as Error).message, 'email trigger has no usable connection yet; retrying');
        }
      }
      await watches.sync(desired, emailWorkflows);
    },
    logger,
  );

  const unsubscribe = opts.feed.subscribe(() => void reconcile.request());
  const retry = setInterval(() => {
    if (watches.failing) void reconcile.request();
  }, opts.retryEveryMs ?? 5_000);
  const periodic = setInterval(() => void reconcile.request(), opts.reconcileEveryMs ?? 60_000);
  retry.unref();
  periodic.unref();
  // Not awaited: a slow mail server must not hold up the other singletons' start.
  void reconcile.request();

  return async () => {
    unsubscribe();
    clearInterval(retry);
    clearInterval(periodic);
    await reconcile.stop();
    await watches.stop();
  };
}
