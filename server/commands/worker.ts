import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { Lifecycle } from '../lifecycle.js';
import { createLogger } from '../logger.js';
import { startNode } from '../node.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run only the worker (scale out: any number of these against one Postgres)')
    .action(async () => {
      const logger = createLogger();
      const lifecycle = new Lifecycle(logger);
      lifecycle.handleSignals();
      try {
        await startNode({ config: loadConfig(), logger, http: false, worker: true, singletons: true }, lifecycle);
      } catch (err) {
        logger.fatal({ err }, (err as Error).message);
        await lifecycle.shutdown('start-up failed');
        process.exit(1);
      }
    });
}
