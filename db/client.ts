import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// int8 (bigint ids, counts) as JS numbers: our ids stay far below 2^53, and a string
// id would leak into every API response and comparison.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Db = Kysely<Database>;

export interface DbHandle {
  pool: pg.Pool;
  db: Db;
  close(): Promise<void>;
}

/**
 * Opens a pg Pool and a Kysely instance on it.
 * @example const { db, close } = createDb(process.env.DATABASE_URL!); await db.selectFrom('khaosflow.workflows').selectAll().execute(); await close();
 */
export function createDb(
  connectionString: string,
  opts: {
    max?: number;
    applicationName?: string;
    /** Told of a connection the pool lost (default: one line on standard error). */
    onConnectionError?: (err: Error) => void;
  } = {},
): DbHandle {
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'khaosflow',
  });
  // A client losing its connection (Postgres restart, a terminated backend) must not
  // crash the process: the pool drops it and the next checkout reconnects. It is
  // logged, so an operator sees why queries failed meanwhile.
  const lost = opts.onConnectionError ?? ((err: Error) => process.stderr.write(`khaosflow: lost a database connection: ${err.message}\n`));
  // Every client gets this listener, idle or checked out; the pool's own 'error' event
  // repeats an idle client's error, so it stays silent.
  pool.on('connect', (client) => client.on('error', (err) => lost(err)));
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    pool,
    db,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
