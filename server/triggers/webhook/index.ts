// The per-process state webhooks need: the route table and the shared run waiter.
import type { Services } from '../../services.js';
import type { WorkflowChangeFeed } from '../workflow-changes.js';
import { startWebhookRouteTable, type WebhookRouteTable } from './route-table.js';
import { startRunWaiter, type RunWaiter } from './run-waiter.js';
import { webhookSettings, type WebhookSettings } from './settings.js';

export interface Webhooks {
  routes: WebhookRouteTable;
  waiter: RunWaiter;
  settings: WebhookSettings;
  stop(): Promise<void>;
}

export function startWebhooks(services: Services, feed: WorkflowChangeFeed, env: NodeJS.ProcessEnv = process.env): Webhooks {
  const settings = webhookSettings(env);
  const routes = startWebhookRouteTable({ db: services.db, feed, logger: services.logger });
  const waiter = startRunWaiter({ pool: services.pool });
  return {
    routes,
    waiter,
    settings,
    async stop() {
      waiter.stop();
      await routes.stop();
    },
  };
}
