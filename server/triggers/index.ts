// Trigger machinery of one process: the shared workflow-change feed, the webhook
// route table (processes serving HTTP), and the cluster singletons (scheduler,
// database triggers, file watchers) that startSingletons runs in one process at a time.
import type { Services } from '../services.js';
import type { Singleton } from '../singletons.js';
import { databaseTriggersSingleton } from './database/service.js';
import { emailTriggersSingleton } from './email/service.js';
import { fileWatchersSingleton } from './files/service.js';
import { schedulerSingleton } from './schedule/scheduler.js';
import { startWebhooks, type Webhooks } from './webhook/index.js';
import { workflowChangeFeed } from './workflow-changes.js';

export interface Triggers {
  /** Null when this process serves no HTTP. */
  webhooks: Webhooks | null;
  singletons: Singleton[];
  stop(): Promise<void>;
}

export function startTriggers(services: Services, opts: { webhooks: boolean }): Triggers {
  const feed = workflowChangeFeed({ pool: services.pool, logger: services.logger });
  const webhooks = opts.webhooks ? startWebhooks(services, feed, services.config.env) : null;
  return {
    webhooks,
    singletons: [
      schedulerSingleton({ db: services.db, logger: services.logger, feed }),
      databaseTriggersSingleton({ services, feed }),
      fileWatchersSingleton({ services, feed }),
      emailTriggersSingleton({ services, feed }),
    ],
    async stop() {
      await webhooks?.stop();
      await feed.close();
    },
  };
}
