// Per-test-file databases cloned from the migrated template (see global-setup).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type DbHandle } from '../../db/client.js';

export interface TestDatabase extends DbHandle {
  url: string;
  name: string;
  /** Drops the database (also done for all of them at the end of the run). */
  drop(): Promise<void>;
}

export function adminUrl(): string {
  return inject('adminDatabaseUrl');
}

export function databaseUrl(name: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs one statement on the admin database (create/drop databases). */
export async function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, migrated database for one test file.
 * @example const tdb = await createTestDatabase(); afterAll(() => tdb.drop());
 */
export async function createTestDatabase(opts: { max?: number } = {}): Promise<TestDatabase> {
  const template = inject('templateDatabase');
  const name = `${template.replace('kf_tpl_', 'kf_t_')}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`create database ${name} template ${template}`);
  const url = databaseUrl(name);
  const handle = createDb(url, { max: opts.max ?? 10 });
  return {
    ...handle,
    url,
    name,
    async drop() {
      await handle.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}
