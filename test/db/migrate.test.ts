import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.js';
import { listMigrations, migrate, MigrationError } from '../../db/migrate.js';
import { sqlDir } from '../../server/paths.js';
import { adminQuery, databaseUrl } from '../helpers/db.js';

const created: string[] = [];
async function emptyDatabase(): Promise<string> {
  const name = `kf_mig_${Math.random().toString(16).slice(2, 10)}`;
  await adminQuery(`create database ${name}`);
  created.push(name);
  return databaseUrl(name);
}
afterAll(async () => {
  for (const name of created) await adminQuery(`drop database if exists ${name} with (force)`);
});

function sqlFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-sql-'));
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), body);
  return dir;
}

describe('migrations', () => {
  it('applies every sql/ file once, even with several migrators starting at the same moment', async () => {
    const handle = createDb(await emptyDatabase(), { max: 8 });
    try {
      const results = await Promise.all([1, 2, 3, 4].map(() => migrate(handle.pool, { sqlDir })));
      const expected = listMigrations(sqlDir).map((m) => path.basename(m.file));
      expect(results.flat().sort()).toEqual(expected.sort());
      // One row per file, in file order: a second migrator applying a file again would fail on
      // the primary key, so the applied list must equal the files exactly.
      const { rows } = await handle.pool.query<{ id: number }>('select id from khaosflow.migrations order by id');
      expect(rows.map((r) => r.id)).toEqual(listMigrations(sqlDir).map((m) => m.id));
      const tables = await handle.pool.query(
        "select table_name from information_schema.tables where table_schema = 'khaosflow' order by 1",
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(['migrations', 'runs', 'step_runs', 'workers', 'workflow_versions', 'workflows']),
      );
      const graphile = await handle.pool.query("select to_regclass('graphile_worker._private_jobs') is not null as ok");
      expect(graphile.rows[0].ok).toBe(true);
    } finally {
      await handle.close();
    }
  });

  it('reports a failing file with its line and the Postgres message, and applies nothing of it', async () => {
    const dir = sqlFolder({
      '000001_good.sql': 'create schema if not exists khaosflow; create table khaosflow.good (id int);',
      '000002_bad.sql': 'create table khaosflow.half (id int);\n\nselect * from no_such_table;\n',
    });
    const handle = createDb(await emptyDatabase(), { max: 2 });
    try {
      const err = await migrate(handle.pool, { sqlDir: dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationError);
      expect((err as Error).message).toMatch(
        /^Migration 000002_bad\.sql:3 failed: relation "no_such_table" does not exist \(SQLSTATE 42P01\)/,
      );
      const { rows } = await handle.pool.query("select to_regclass('khaosflow.half') as half, to_regclass('khaosflow.good') as good");
      expect(rows[0]).toEqual({ half: null, good: 'khaosflow.good' });
      const applied = await handle.pool.query('select id from khaosflow.migrations order by id');
      expect(applied.rows).toEqual([{ id: 1 }]);
    } finally {
      await handle.close();
    }
  });

  it('refuses badly named and duplicate-numbered files', () => {
    expect(() => listMigrations(sqlFolder({ 'init.sql': '' }))).toThrow(/must be named NNNNNN_name\.sql/);
    expect(() => listMigrations(sqlFolder({ '000001_a.sql': '', '000001_b.sql': '' }))).toThrow(/share the number 000001/);
  });
});
