import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { Lifecycle } from '../lifecycle.js';
import { createLogger } from '../logger.js';
import { openRuntime } from '../runtime.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations and exit')
    .action(async () => {
      const logger = createLogger();
      const lifecycle = new Lifecycle(logger);
      try {
        const runtime = await openRuntime({ config: loadConfig(), logger, lifecycle, kind: 'migrate', poolSize: 2 });
        logger.info({ database: runtime.database.description }, 'database is up to date');
      } catch (err) {
        logger.fatal({ err }, (err as Error).message);
        process.exitCode = 1;
      } finally {
        await lifecycle.shutdown('migrate done');
      }
    });
}
