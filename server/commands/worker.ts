import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { Lifecycle } from '../lifecycle.js';
import { createLogger } from '../logger.js';
import { startNode } from '../node.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run only the worker (scale out: any number of these against one Postgres)')
    .option('--metrics-port <port>', 'also serve /healthz and /metrics (Prometheus) on this port')
    .action(async (options: { metricsPort?: string }) => {
      const logger = createLogger();
      const lifecycle = new Lifecycle(logger);
      lifecycle.handleSignals();
      try {
        const metricsPort = options.metricsPort === undefined ? undefined : Number(options.metricsPort);
        if (metricsPort !== undefined && !(Number.isInteger(metricsPort) && metricsPort >= 0 && metricsPort < 65536)) {
          throw new Error(`--metrics-port must be a port number (0-65535), not "${options.metricsPort}".`);
        }
        await startNode(
          {
            config: loadConfig(),
            logger,
            http: false,
            worker: true,
            singletons: true,
            ...(metricsPort === undefined ? {} : { metricsPort }),
          },
          lifecycle,
        );
      } catch (err) {
        logger.fatal({ err }, (err as Error).message);
        await lifecycle.shutdown('start-up failed');
        process.exit(1);
      }
    });
}
