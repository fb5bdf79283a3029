// A fresh, migrated database for a benchmark: BENCH_DATABASE_URL / DATABASE_URL's
// server when set, else an embedded Postgres in a temporary folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDb, type DbHandle } from '../db/client.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { migrate } from '../db/migrate.js';
import { sqlDir } from '../server/paths.js';

export interface BenchDatabase {
  url: string;
  handle: DbHandle;
  describe: string;
  close(): Promise<void>;
}

/**
 * Which Postgres the benchmarks use, for the report header before (or without) opening
 * one: the server a URL variable names, else an embedded one.
 * @example benchDatabaseTarget() // 'Postgres server at 127.0.0.1:5432 (DATABASE_URL)'
 */
export function benchDatabaseTarget(env: NodeJS.ProcessEnv = process.env): string {
  const variable = env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL' : env.DATABASE_URL ? 'DATABASE_URL' : null;
  if (!variable) return 'embedded Postgres';
  const u = new URL(env[variable]!);
  return `Postgres server at ${u.hostname}:${u.port || '5432'} (${variable})`;
}

export async function benchDatabase(): Promise<BenchDatabase> {
  let adminUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL;
  let stopEmbedded: () => Promise<void> = async () => undefined;
  let home: string | null = null;
  let describe = benchDatabaseTarget();
  if (!adminUrl) {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'khaosflow-bench-'));
    const embedded = await startEmbeddedPostgres({ home, database: 'postgres' });
    adminUrl = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  const name = `kf_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  // Suites name the version in what they report: numbers differ between major versions.
  const version = (await admin.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
  describe = describe.replace('Postgres', `Postgres ${version.split(' ')[0]}`);
  await admin.query(`create database ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const handle = createDb(url, { max: 30 });
  await migrate(handle.pool, { sqlDir });
  return {
    url,
    handle,
    describe,
    async close() {
      await handle.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      await stopEmbedded();
      if (home) fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
