// Which database a step talks to, and in which dialect:
//   - `connection: <name>`: that connection, whatever its type (postgres, mysql or
//     mongodb - the dialect follows the connection);
//   - no connection: the postgres connection named "default", else the mysql one
//     (the mongodb one for a MongoDB operation), else KhaosFlow's own database as a
//     role with no rights on KhaosFlow's tables (own-database.ts) - which the step's
//     log then says, since writing there is rarely what was meant.
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import type { Connection } from '../../connections/types.js';
import { connectionSecretValues } from '../../connections/urls.js';
import { NonRetryableError } from '../../core/errors.js';
import type { ActionContext } from '../../core/action.js';
import { mysqlPool, postgresPool } from '../../connectors/database-pools.js';
import { ownDatabasePool } from './own-database.js';

/** `label` names the database in messages: `connection "main"` or KhaosFlow's own database. */
export type SqlTarget = { dialect: 'postgres'; pool: pg.Pool; label: string } | { dialect: 'mysql'; pool: mysql.Pool; label: string };

export type DatabaseTarget = SqlTarget | { dialect: 'mongodb'; connection: Connection; label: string };

function targetOf(ctx: ActionContext, connection: Connection): DatabaseTarget {
  for (const value of connectionSecretValues(connection)) ctx.addSecret(value);
  const label = `connection "${connection.name}"`;
  switch (connection.type) {
    case 'postgres':
      return { dialect: 'postgres', pool: postgresPool(connection), label };
    case 'mysql':
      return { dialect: 'mysql', pool: mysqlPool(connection), label };
    case 'mongodb':
      return { dialect: 'mongodb', connection, label };
    default:
      throw new NonRetryableError(
        `Connection "${connection.name}" is a ${connection.type} connection; database steps take postgres, mysql or mongodb connections.`,
      );
  }
}

/**
 * @example const target = await databaseTarget(ctx, p.connection); // { dialect: 'postgres', pool, label: 'connection "default"' }
 */
export async function databaseTarget(
  ctx: ActionContext,
  name: string | undefined,
  opts: { mongo?: boolean } = {},
): Promise<DatabaseTarget> {
  if (name) {
    const connection = await ctx.connections.get(name);
    if (!connection) {
      throw new NonRetryableError(
        `No connection named "${name}". Create it in the console or with KHAOSFLOW_CONNECTION_${name.toUpperCase()}=postgres://user:password@host:5432/database (or mysql://, mongodb://).`,
      );
    }
    return targetOf(ctx, connection);
  }
  const kinds = opts.mongo ? (['mongodb'] as const) : (['postgres', 'mysql'] as const);
  for (const kind of kinds) {
    const connection = await ctx.connections.find(kind);
    if (connection) return targetOf(ctx, connection);
  }
  if (opts.mongo) {
    throw new NonRetryableError(
      'This MongoDB operation names no connection and there is no mongodb connection named "default"; add connection: <name> to the step or create KHAOSFLOW_CONNECTION_DEFAULT=mongodb://host/database.',
    );
  }
  const own = await ownDatabasePool(ctx.services.pool);
  ctx.addSecret(own.password);
  ctx.log(
    'info',
    'No connection given and no postgres or mysql connection named "default": the query runs on KhaosFlow\'s own database, as a role that cannot see KhaosFlow\'s tables.',
  );
  return { dialect: 'postgres', pool: own.pool, label: "KhaosFlow's own database" };
}
