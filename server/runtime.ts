// Boots the shared part of every long-running command: database (given or
// embedded), pool, migrations and the services bag.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { createDb } from '../db/client.js';
import { resolveDatabase, type DatabaseSource } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import type { Config } from './config.js';
import type { ActionDefinition } from './core/action.js';
import type { Lifecycle } from './lifecycle.js';
import type { Logger } from './logger.js';
import { createMetrics } from './metrics/index.js';
import { openOutsideWorld } from './outside-world.js';
import { sqlDir } from './paths.js';
import type { Services } from './services.js';

export interface Runtime {
  services: Services;
  database: DatabaseSource;
}

export async function openRuntime(opts: {
  config: Config;
  logger: Logger;
  lifecycle: Lifecycle;
  kind: string;
  poolSize?: number;
  plugins?: boolean;
  /** More action types beside built-ins and plugins (tests). */
  actions?: readonly ActionDefinition<any>[];
}): Promise<Runtime> {
  const { config, logger, lifecycle } = opts;
  const database = await resolveDatabase({
    databaseUrl: config.databaseUrl,
    home: config.home,
    log: (msg) => logger.info(msg),
  });
  lifecycle.add('database', () => database.stop());

  const handle = createDb(database.url, {
    // Runs share batched reads and finishes, so they do not need a connection each; the
    // cap keeps two processes well inside Postgres' default 100 connections.
    max: opts.poolSize ?? Math.min(config.concurrency + 10, 30),
    applicationName: `khaosflow-${opts.kind}`,
    onConnectionError: (err) => logger.warn({ err }, 'lost a database connection; the pool reconnects on next use'),
  });
  lifecycle.add('pool', () => handle.close());

  try {
    await migrate(handle.pool, { sqlDir, log: (msg) => logger.info(msg) });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '28P01' || code === '3D000') {
      throw new Error(
        `Cannot reach the database at ${database.description}: ${(err as Error).message}. Check DATABASE_URL (or unset it to use the embedded Postgres).`,
      );
    }
    throw err;
  }

  const nodeId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const base = { config, logger, pool: handle.pool, db: handle.db, nodeId, metrics: createMetrics(handle.pool) };
  return {
    database,
    // Also the start-up key check: fails with what to do when the secret key cannot read the vault.
    services: {
      ...base,
      ...(await openOutsideWorld(base, config.env, { plugins: opts.plugins ?? true, ...(opts.actions ? { actions: opts.actions } : {}) })),
    },
  };
}
