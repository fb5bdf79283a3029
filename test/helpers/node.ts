// Starts a real KhaosFlow node (HTTP + worker + singletons) on a test database and
// an ephemeral port, as `khaosflow start` would.
import { loadConfig, type Config } from '../../server/config.js';
import { Lifecycle } from '../../server/lifecycle.js';
import { createLogger } from '../../server/logger.js';
import { startNode, type RunningNode } from '../../server/node.js';
import type { Services } from '../../server/services.js';
import { registerTestActions, testActions } from './test-actions.js';

export interface TestNode {
  baseUrl: string;
  services: Services;
  node: RunningNode;
  stop(): Promise<void>;
}

export async function startTestNode(opts: {
  databaseUrl: string;
  http?: boolean;
  /** With http off: serve /healthz and /metrics on an ephemeral port (khaosflow worker --metrics-port 0). */
  metricsPort?: boolean;
  worker?: boolean;
  singletons?: boolean;
  env?: Record<string, string>;
  config?: Partial<Config>;
  /** Receives every log line (JSON, debug level and up), to assert what logs contain. */
  logSink?: (line: string) => void;
}): Promise<TestNode> {
  const config: Config = {
    ...loadConfig({ ...process.env, ...opts.env, DATABASE_URL: opts.databaseUrl, PORT: '0', HOST: '127.0.0.1' }),
    ...opts.config,
  };
  const logger = opts.logSink
    ? createLogger({ level: 'debug', destination: { write: (line: string) => opts.logSink!(line) } })
    : createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const lifecycle = new Lifecycle(logger);
  // Every test node knows the test-only actions (test/helpers/test-actions.ts).
  registerTestActions();
  const node = await startNode(
    {
      config,
      logger,
      http: opts.http ?? true,
      worker: opts.worker ?? true,
      singletons: opts.singletons ?? true,
      ...(opts.metricsPort ? { metricsPort: 0 } : {}),
      actions: testActions,
    },
    lifecycle,
  );
  return {
    baseUrl: `http://127.0.0.1:${node.port ?? 0}`,
    services: node.runtime.services,
    node,
    stop: () => lifecycle.shutdown('test finished'),
  };
}
