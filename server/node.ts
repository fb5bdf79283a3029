// A KhaosFlow process: HTTP server and/or worker and/or cluster singletons, on one
// database. `khaosflow start` runs all three; `khaosflow worker` only the worker.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeActionConnections } from './connectors/shutdown.js';
import type { ActionDefinition } from './core/action.js';
import { setupToken } from './console-auth/setup-token.js';
import { countUsers } from './console-auth/users.js';
import { startHeartbeat } from './engine/heartbeat.js';
import { createLocalRuns, type LocalRuns } from './engine/local-runs.js';
import { startHttpFilesRetention } from './files/http-retention.js';
import { createHttpApp } from './http/app.js';
import { endLiveStreams } from './http/live-streams.js';
import { metricsRoutes } from './http/metrics.js';
import { httpRouters } from './http/routers.js';
import { Lifecycle } from './lifecycle.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { consoleBuildDir } from './paths.js';
import { startQueueWorker } from './queue/worker.js';
import { createTaskList } from './queue/tasks.js';
import { openRuntime, type Runtime } from './runtime.js';
import { runRetentionSingleton } from './runs/retention.js';
import { runSearchIndexSingleton } from './runs/search-index.js';
import { startSingletons } from './singletons.js';
import { startTriggers } from './triggers/index.js';
import { version } from './version.js';

export interface NodeOptions {
  config: Config;
  logger: Logger;
  http: boolean;
  worker: boolean;
  singletons: boolean;
  /** Without the HTTP app: serve only /healthz and /metrics on this port (khaosflow worker --metrics-port). */
  metricsPort?: number;
  /** More action types beside built-ins and plugins (tests). */
  actions?: readonly ActionDefinition<any>[];
}

export interface RunningNode {
  runtime: Runtime;
  lifecycle: Lifecycle;
  /** Port the HTTP server listens on (when http is on). */
  port: number | null;
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`Port ${port} is already in use. Stop what uses it, or start with --port <another> (or PORT=...).`)
          : err,
      );
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startNode(opts: NodeOptions, lifecycle = new Lifecycle(opts.logger)): Promise<RunningNode> {
  const { config, logger } = opts;
  const kind = opts.http ? 'start' : 'worker';
  const runtime = await openRuntime({ config, logger, lifecycle, kind, ...(opts.actions ? { actions: opts.actions } : {}) });
  const { services } = runtime;
  let localRuns: LocalRuns | null = null;

  if (opts.worker) {
    // Added before the worker so it runs after the worker has stopped (closers run in reverse).
    lifecycle.add('action connections', () => closeActionConnections());
    // Downloads sit on this worker's disk, so each worker sweeps its own (see the file).
    // Started first: a bad KHAOSFLOW_HTTP_FILES_RETENTION_DAYS stops start-up before any run is taken.
    const retention = startHttpFilesRetention({ pool: services.pool, logger, home: config.home, env: config.env });
    lifecycle.add('http download retention', () => retention.stop());
    const worker = await startQueueWorker({
      pool: services.pool,
      logger,
      concurrency: config.concurrency,
      taskList: createTaskList(services),
    });
    // Synchronous webhooks run where they were accepted (a process serving HTTP with a worker).
    localRuns = opts.http ? createLocalRuns(services, { limit: config.concurrency }) : null;
    const local = localRuns;
    const heartbeat = startHeartbeat({
      pool: services.pool,
      logger,
      nodeId: services.nodeId,
      kind,
      poolIds: () => (local ? [...worker.poolIds(), local.id] : worker.poolIds()),
    });
    lifecycle.add('heartbeat', () => heartbeat.stop());
    lifecycle.add('worker', () => worker.stop());
    if (local) lifecycle.add('local runs', () => local.stop());
  }

  // Per-process trigger state (webhook routes) and the trigger singletons.
  const triggers = startTriggers(services, { webhooks: opts.http });
  lifecycle.add('triggers', () => triggers.stop());

  if (opts.singletons) {
    const retention = runRetentionSingleton({ pool: services.pool, logger, env: config.env });
    const searchIndex = runSearchIndexSingleton({ pool: services.pool, logger });
    const singletons = [...triggers.singletons, searchIndex, ...(retention ? [retention] : [])];
    const host = startSingletons({ pool: services.pool, logger, singletons });
    lifecycle.add('singletons', () => host.stop());
  }

  let port: number | null = null;
  const serve = async (app: { callback(): http.RequestListener }, at: number): Promise<number> => {
    const server = http.createServer(app.callback());
    const bound = await listen(server, at, config.host);
    lifecycle.add(
      'http',
      () =>
        new Promise<void>((resolve) => {
          endLiveStreams(services);
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    );
    return bound;
  };
  if (opts.http) {
    port = await serve(
      await createHttpApp(services, { consoleBuildDir, routers: httpRouters(services, triggers.webhooks, localRuns) }),
      config.port,
    );
    const url = config.publicUrl ?? `http://localhost:${port}`;
    logger.info(
      { url, database: runtime.database.description, version },
      `KhaosFlow ${version}: console at ${url}, database: ${runtime.database.description}`,
    );
    if ((await countUsers(services.db)) === 0) {
      // Until the owner exists the console admits nobody; this link (derived from the
      // vault key, so every process prints the same) is how the first person gets in.
      logger.warn(
        { setup: true },
        `No console account yet. Create the owner at ${url}/setup?token=${setupToken(services.vault.master.key)} or with \`npx khaosflow users create <email>\`.`,
      );
    }
  } else {
    if (opts.metricsPort !== undefined) {
      port = await serve(await createHttpApp(services, { routers: [metricsRoutes(services)] }), opts.metricsPort);
      logger.info({ port }, `Serving /healthz and /metrics on port ${port}`);
    }
    logger.info(
      { database: runtime.database.description, version, concurrency: config.concurrency },
      `KhaosFlow ${version} worker running ${config.concurrency} runs at once, database: ${runtime.database.description}`,
    );
  }
  return { runtime, lifecycle, port };
}
