// KhaosFlow's own database for a step that names no connection, reached as the
// restricted role the migrations created (sql/000013_step_role.sql), never as
// KhaosFlow itself: the step's SQL could otherwise read khaosflow.users or rewrite
// workflow versions. A plain SET ROLE would not do: the step's SQL could RESET it.
import type pg from 'pg';
import { postgresPool } from '../../connectors/database-pools.js';
import { NonRetryableError } from '../../core/errors.js';

/** postgres:// URL of the database `pool` reaches, logged in as `user`. */
function urlAs(pool: pg.Pool, user: string, password: string): string {
  const options = (pool as unknown as { options: pg.PoolConfig }).options;
  const url = new URL(options.connectionString ?? 'postgres://localhost/');
  if (!options.connectionString) {
    url.hostname = String(options.host ?? 'localhost');
    if (options.port) url.port = String(options.port);
    url.pathname = `/${encodeURIComponent(String(options.database ?? ''))}`;
  }
  url.username = encodeURIComponent(user);
  url.password = encodeURIComponent(password);
  return url.toString();
}

/** A pool on KhaosFlow's own database as its restricted step role. */
export async function ownDatabasePool(own: pg.Pool): Promise<{ pool: pg.Pool; password: string }> {
  const { rows } = await own
    .query<{ name: string; password: string }>('select name, password from khaosflow.step_role limit 1')
    .catch(() => ({ rows: [] as Array<{ name: string; password: string }> }));
  const role = rows[0];
  if (!role)
    throw new NonRetryableError(
      "This step names no connection, and KhaosFlow's own database has no restricted role for steps (creating it needs CREATEROLE for KhaosFlow's database user). " +
        'Add connection: <name> to the step, or create a postgres connection named "default".',
    );
  return { pool: postgresPool({ name: "KhaosFlow's own database", url: urlAs(own, role.name, role.password) }), password: role.password };
}
