// Every API and hook router the HTTP app mounts, in one list (one line per module).
import type Router from '@koa/router';
import type { LocalRuns } from '../engine/local-runs.js';
import type { Services } from '../services.js';
import type { Webhooks } from '../triggers/webhook/index.js';
import { connectionRoutes } from './api/connections.js';
import { importRoutes } from './api/import.js';
import { mailboxSampleRoutes } from './api/mailbox-sample.js';
import { apiKeyRoutes } from './api/keys.js';
import { secretRoutes } from './api/secrets.js';
import { statsRoutes } from './api/stats.js';
import { templateRoutes } from './api/templates.js';
import { variableRoutes } from './api/variables.js';
import { metricsRoutes } from './metrics.js';
import { runRoutes } from './api/runs.js';
import { tableSampleRoutes } from './api/table-sample.js';
import { webhookSampleRoutes } from './api/webhook-samples.js';
import { workflowAuthoringRoutes } from './api/workflow-authoring.js';
import { workflowTestRoutes } from './api/workflow-tests.js';
import { workflowRoutes } from './api/workflows.js';
import { webhookRoutes } from './hooks/webhook-router.js';
import { openApiRoutes } from './openapi/route.js';

export function httpRouters(services: Services, webhooks: Webhooks | null = null, localRuns: LocalRuns | null = null): Router[] {
  return [
    // First: each router matches every request's path against all its routes, and
    // webhooks are the traffic that comes by the thousand per second.
    ...(webhooks ? [webhookRoutes(services, webhooks, localRuns)] : []),
    metricsRoutes(services),
    openApiRoutes(),
    runRoutes(services),
    connectionRoutes(services),
    secretRoutes(services),
    variableRoutes(services),
    templateRoutes(services),
    apiKeyRoutes(services),
    statsRoutes(services),
    importRoutes(services),
    workflowAuthoringRoutes(services),
    workflowTestRoutes(services),
    workflowRoutes(services),
    webhookSampleRoutes(services),
    tableSampleRoutes(services),
    mailboxSampleRoutes(services),
  ];
}
