// Applies sql/NNNNNN_name.sql in order. Each file runs in its own transaction and
// is recorded in khaosflow.migrations; a session advisory lock serialises migrators,
// so several processes starting at once against one database apply each file once.
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { Logger, runMigrations as runGraphileMigrations } from 'graphile-worker';

// Arbitrary constant, shared by every KhaosFlow process: "khaosflow" in ASCII, truncated.
const MIGRATION_LOCK = 0x6b68_616f;

// Graphile logs each of its own migrations at info level; ours already say enough.
const silentGraphileLogger = new Logger(() => () => undefined);

export interface MigrationFile {
  id: number;
  name: string;
  file: string;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly file: string,
    override readonly cause: unknown,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Lists sql/NNNNNN_name.sql files in order; refuses duplicate numbers. */
export function listMigrations(sqlDir: string): MigrationFile[] {
  const files = fs
    .readdirSync(sqlDir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const seen = new Map<number, string>();
  return files.map((file) => {
    const match = /^(\d{6})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new MigrationError(`Migration file ${file} must be named NNNNNN_name.sql (six digits, lower-case name).`, file, null);
    const id = Number(match[1]);
    const other = seen.get(id);
    if (other) throw new MigrationError(`Migrations ${other} and ${file} share the number ${match[1]}; renumber one of them.`, file, null);
    seen.set(id, file);
    return { id, name: match[2]!, file: path.join(sqlDir, file) };
  });
}

function lineOf(sql: string, position: number | undefined): number | null {
  if (!position) return null;
  return sql.slice(0, position - 1).split('\n').length;
}

function describe(err: unknown, migration: MigrationFile, sql: string): MigrationError {
  const e = err as { message?: string; code?: string; position?: string };
  const line = lineOf(sql, e.position ? Number(e.position) : undefined);
  const where = line ? `${path.basename(migration.file)}:${line}` : path.basename(migration.file);
  return new MigrationError(
    `Migration ${where} failed: ${e.message ?? String(err)}${e.code ? ` (SQLSTATE ${e.code})` : ''}. Nothing from this file was applied; fix it and start again.`,
    migration.file,
    err,
  );
}

/**
 * Brings the database up to date: Graphile Worker's migrations, then KhaosFlow's own.
 * @returns the names of the files applied by this call.
 * @example await migrate(pool, { sqlDir });
 */
export async function migrate(pool: pg.Pool, opts: { sqlDir: string; log?: (msg: string) => void }): Promise<string[]> {
  const migrations = listMigrations(opts.sqlDir);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      // Graphile Worker's schema first (our functions enqueue jobs through it), under
      // the same lock so two first starts do not race.
      await runGraphileMigrations({ pgPool: pool, logger: silentGraphileLogger });
      await client.query('create schema if not exists khaosflow');
      await client.query(`create table if not exists khaosflow.migrations (
        id integer primary key, name text not null, applied_at timestamptz not null default now())`);
      const { rows } = await client.query<{ id: number }>('select id from khaosflow.migrations');
      const done = new Set(rows.map((r) => r.id));
      for (const migration of migrations) {
        if (done.has(migration.id)) continue;
        const sql = fs.readFileSync(migration.file, 'utf8');
        await client.query('begin');
        try {
          await client.query('insert into khaosflow.migrations (id, name) values ($1, $2)', [migration.id, migration.name]);
          await client.query(sql);
          await client.query('commit');
        } catch (err) {
          await client.query('rollback');
          throw describe(err, migration, sql);
        }
        applied.push(path.basename(migration.file));
        opts.log?.(`applied migration ${path.basename(migration.file)}`);
      }
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
  return applied;
}
