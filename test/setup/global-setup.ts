// Provides Postgres to every test file: TEST_DATABASE_URL or DATABASE_URL when set,
// else an embedded Postgres in a temporary folder. A template database is migrated
// once; each test file clones it (create database ... template), which takes
// milliseconds and isolates files from each other.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../db/client.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../db/embedded.js';
import { migrate } from '../../db/migrate.js';
import { consoleBuildDir, projectRoot, sqlDir } from '../../server/paths.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
    databaseKind: string;
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** The e2e tests drive the built console; rebuild it when app/ changed since the last build. */
function ensureConsoleBuild(): void {
  const entry = path.join(consoleBuildDir, 'server', 'index.js');
  const built = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
  if (built >= newestMtime(path.join(projectRoot, 'app'))) return;
  execFileSync('npx', ['react-router', 'build'], { cwd: projectRoot, stdio: 'pipe' });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let embedded: EmbeddedPostgres | null = null;
  let tmpHome: string | null = null;
  let adminUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!adminUrl) {
    tmpHome = fs.mkdtempSync(path.join(os.tmpdir(), 'khaosflow-test-'));
    embedded = await startEmbeddedPostgres({ home: tmpHome, database: 'postgres' });
    adminUrl = embedded.url;
  }

  const template = `kf_tpl_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${template}`);
  const handle = createDb(withDatabase(adminUrl, template), { max: 2 });
  try {
    await migrate(handle.pool, { sqlDir });
  } finally {
    await handle.close();
  }
  // Cloning needs a template nobody is connected to: close the door, then wait out
  // the backends of the pool just closed (their exit is asynchronous).
  await admin.query(`alter database ${template} with allow_connections false`);
  await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [template]);
  for (let i = 0; i < 100; i++) {
    const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [template]);
    if (rows[0]!.n === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  ensureConsoleBuild();

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);
  project.provide('databaseKind', embedded ? 'embedded' : 'external');

  return async () => {
    // Drop the template and every database cloned from it by this run.
    const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname = $1 or datname like $2`, [
      template,
      `${template.replace('kf_tpl_', 'kf_t_')}_%`,
    ]);
    for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
    await admin.end();
    if (embedded) await embedded.stop();
    if (tmpHome) fs.rmSync(tmpHome, { recursive: true, force: true });
  };
}
