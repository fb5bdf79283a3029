// One LISTEN khaosflow_workflows connection per process, shared by everything that
// keeps a table built from workflow definitions (webhook routes, scheduler, database
// triggers, file watchers). Subscribers are told "something changed": they reload
// from the database, which stays the single source of truth. A reconnect counts as
// a change, since notifications sent while disconnected are gone.
import type pg from 'pg';
import type { Logger } from '../logger.js';
import { startListener, type Listener } from './listen.js';

export const WORKFLOWS_CHANNEL = 'khaosflow_workflows';

export interface WorkflowChangeFeed {
  /** Calls `onChange` on every workflow change; returns the unsubscribe function. */
  subscribe(onChange: () => void): () => void;
  close(): Promise<void>;
}

/** The connection string of a pool (the LISTEN connection must not come from the pool: it is held forever). */
export function connectionStringOf(pool: pg.Pool): string {
  const url = pool.options.connectionString;
  if (!url) throw new Error('The KhaosFlow pool was opened without a connection string; trigger listeners need one.');
  return url;
}

/** Connects on the first subscription, so processes without trigger duties hold no extra connection. */
export function workflowChangeFeed(opts: { pool: pg.Pool; logger: Logger }): WorkflowChangeFeed {
  const subscribers = new Set<() => void>();
  let listener: Listener | null = null;
  const notify = () => {
    for (const fn of [...subscribers]) fn();
  };
  return {
    subscribe(onChange) {
      subscribers.add(onChange);
      listener ??= startListener({
        connectionString: connectionStringOf(opts.pool),
        channels: [WORKFLOWS_CHANNEL],
        onNotification: notify,
        onConnected: notify,
        logger: opts.logger,
        applicationName: 'khaosflow-workflow-changes',
      });
      return () => {
        subscribers.delete(onChange);
      };
    },
    async close() {
      subscribers.clear();
      await listener?.close();
      listener = null;
    },
  };
}
