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

export async function benchDatabase(): Promise<BenchDatabase> {
  let adminUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL;
  let stopEmbedded: () => Promise<void> = async () => undefined;
  let home: string | null = null;
  let describe = 'external Postgres';
  if (!adminUrl) {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'khaosflow-bench-'));
    const embedded = await startEmbeddedPostgres({ home, database: 'postgres' });
    adminUrl = embedded.url;
    stopEmbedded = () => embedded.stop();
    describe = 'embedded Postgres';
  }
  const name = `kf_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
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
