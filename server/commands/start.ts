import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { Lifecycle } from '../lifecycle.js';
import { createLogger } from '../logger.js';
import { startNode } from '../node.js';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the console, API, webhooks, worker and schedulers (migrates first)')
    .option('-p, --port <port>', 'HTTP port (default: $PORT or 3001)')
    .action(async (options: { port?: string }) => {
      const logger = createLogger();
      const lifecycle = new Lifecycle(logger);
      lifecycle.handleSignals();
      try {
        await startNode(
          { config: loadConfig(process.env, { port: options.port }), logger, http: true, worker: true, singletons: true },
          lifecycle,
        );
      } catch (err) {
        logger.fatal({ err }, (err as Error).message);
        await lifecycle.shutdown('start-up failed');
        process.exit(1);
      }
    });
}
