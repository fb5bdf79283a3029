// Email triggers as a cluster singleton: one mailbox watch per enabled workflow with
// an `email` trigger, restarted when the trigger or its connection's URL changes
// (a new password is picked up by the periodic reconcile), retried while its server
// cannot be reached. Two KhaosFlow processes never watch the same mailbox for the
// same workflow, and the dedupe key guards the hand-over between them.
import { currentWorkflows } from '../../../db/queries/workflow-store.js';
import type { Services } from '../../services.js';
import type { Singleton } from '../../singletons.js';
import type { EmailTrigger } from '../../workflow/types.js';
import { serialTask } from '../serial-task.js';
import type { WorkflowChangeFeed } from '../workflow-changes.js';
import { startMailboxWatch, type MailboxWatch } from './mailbox-watch.js';

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
  const watches = new Map<number, { key: string; watch: MailboxWatch }>();
  const failing = new Map<number, string>();

  const reconcile = serialTask('email trigger reconcile', async () => {
    const desired = new Map<number, { slug: string; trigger: EmailTrigger; key: string; start: () => Promise<MailboxWatch> }>();
    const emailWorkflows = new Set<number>();
    for (const w of await currentWorkflows(db, { enabledOnly: true })) {
      if (w.definition.trigger?.type !== 'email') continue;
      emailWorkflows.add(w.id);
      const trigger = w.definition.trigger as EmailTrigger;
      try {
        const connection = await services.connections.resolve('imap', trigger.connection);
        desired.set(w.id, {
          slug: w.slug,
          trigger,
          key: `${JSON.stringify(trigger)}|${connection.url}`,
          start: () => startMailboxWatch({ services, workflowId: w.id, slug: w.slug, trigger, connection }),
        });
      } catch (err) {
        const message = (err as Error).message;
        if (failing.get(w.id) !== message) logger.warn({ workflow: w.slug, err: message }, 'email trigger has no usable connection yet; retrying');
        failing.set(w.id, message);
      }
    }
    for (const [id, current] of watches) {
      if (desired.get(id)?.key === current.key) continue;
      watches.delete(id);
      await current.watch.stop();
    }
    for (const [id, want] of desired) {
      if (watches.has(id)) continue;
      try {
        watches.set(id, { key: want.key, watch: await want.start() });
        if (failing.delete(id)) logger.info({ workflow: want.slug, mailbox: want.trigger.mailbox }, 'email trigger started');
      } catch (err) {
        const message = (err as Error).message;
        if (failing.get(id) !== message) logger.warn({ workflow: want.slug, mailbox: want.trigger.mailbox, err: message }, 'cannot watch the mailbox yet; retrying');
        failing.set(id, message);
      }
    }
    for (const id of failing.keys()) if (!emailWorkflows.has(id)) failing.delete(id);
  }, logger);

  const unsubscribe = opts.feed.subscribe(() => void reconcile.request());
  const retry = setInterval(() => { if (failing.size > 0) void reconcile.request(); }, opts.retryEveryMs ?? 5_000);
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
    for (const { watch } of watches.values()) await watch.stop();
    watches.clear();
  };
}
