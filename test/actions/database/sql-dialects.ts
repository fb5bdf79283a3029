// The two SQL servers the database tests run against, each in a scratch database of
// its own: PostgreSQL (the test server, via adminQuery) and MariaDB at 127.0.0.1:3306
// (root, empty password). MariaDB may be missing on a developer's machine: then its
// tests are skipped with a message - except under CI=true, where it must be there.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { adminQuery, databaseUrl } from '../../helpers/db.js';

export interface SqlServer {
  name: 'PostgreSQL' | 'MariaDB';
  /** Connection URL of the scratch database. */
  url: string;
  database: string;
  /** Runs setup SQL in the scratch database. */
  exec(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Placeholder number `n` (1-based). */
  ph(n: number): string;
  /** `id = ANY($1)` / `id IN (?)` */
  inList(column: string, n: number): string;
  sleep(seconds: number): string;
  drop(): Promise<void>;
}

const scratchName = () => `kf_dbtest_${randomBytes(4).toString('hex')}`;

export async function postgresServer(): Promise<SqlServer> {
  const database = scratchName();
  await adminQuery(`create database ${database}`);
  const url = databaseUrl(database);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    name: 'PostgreSQL',
    url,
    database,
    exec: async (sql, params = []) => (await client.query(sql, params)).rows,
    ph: (n) => `$${n}`,
    inList: (column, n) => `${column} = ANY($${n})`,
    sleep: (s) => `select pg_sleep(${s})`,
    async drop() {
      await client.end();
      await adminQuery(`drop database if exists ${database} with (force)`);
    },
  };
}

const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root' };

/** null when no MariaDB/MySQL answers at 127.0.0.1:3306 (and CI is not set). */
export async function mariadbServer(): Promise<SqlServer | null> {
  let admin: mysql.Connection;
  try {
    admin = await mysql.createConnection({ ...MARIADB, connectTimeout: 3000 });
  } catch (err) {
    const reason = `MariaDB is not reachable at 127.0.0.1:3306 as root without a password (${(err as Error).message})`;
    if (process.env.CI === 'true')
      throw new Error(
        `${reason}; CI must run the MariaDB tests (start it with: start-stop-daemon --start --background --exec /usr/sbin/mariadbd).`,
      );
    console.warn(`${reason}: the MariaDB database tests are SKIPPED.`);
    return null;
  }
  const database = scratchName();
  await admin.query(`create database ${database}`);
  await admin.changeUser({ database });
  return {
    name: 'MariaDB',
    url: `mysql://root@127.0.0.1:3306/${database}`,
    database,
    exec: async (sql, params = []) => {
      const [rows] = await admin.query(sql, params);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    },
    ph: () => '?',
    inList: (column) => `${column} IN (?)`,
    sleep: (s) => `select sleep(${s})`,
    async drop() {
      await admin.query(`drop database if exists ${database}`);
      await admin.end();
    },
  };
}
