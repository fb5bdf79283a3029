// INSERT / UPDATE / DELETE statements built with Kysely's compile-only query builders:
// Kysely quotes every identifier (schema-qualified tables included) and turns every
// value into a bound parameter, so nothing from the workflow's data is pasted into SQL.
import {
  DummyDriver,
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type Expression,
  type SqlBool,
} from 'kysely';
import type { Columns } from './columns.js';
import { mysqlValue } from './mysql-placeholders.js';
import type { Statement } from './statements.js';

type Dialect = 'postgres' | 'mysql';
type Row = Record<string, unknown>;
export type Returning = '*' | string[] | undefined;

const builders = {
  postgres: new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  }),
  mysql: new Kysely<any>({
    dialect: {
      createAdapter: () => new MysqlAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new MysqlIntrospector(db),
      createQueryCompiler: () => new MysqlQueryCompiler(),
    },
  }),
};

/**
 * A value as the column takes it: JSON columns get JSON text (node-postgres would
 * send a JS array as a Postgres array), MySQL gets JSON text for any object.
 */
function columnValue(dialect: Dialect, type: string | undefined, value: unknown): unknown {
  if (dialect === 'mysql') return mysqlValue(value);
  if (value === undefined) return null;
  if ((type === 'json' || type === 'jsonb') && value !== null && typeof value !== 'string') return JSON.stringify(value);
  return value;
}

function rowValues(dialect: Dialect, columns: Columns, row: Row): Row {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, columnValue(dialect, columns.get(key), value)]));
}

/** `sql.id` keeps a column name whole: Kysely would read "a.b" as table a, column b. */
function whereClause(dialect: Dialect, columns: Columns, where: Row) {
  return (eb: any): Expression<SqlBool> =>
    eb.and(
      Object.entries(where).map(([column, value]) => {
        if (value === null || value === undefined) return eb(sql.id(column), 'is', null);
        if (Array.isArray(value)) {
          // `in ()` is not SQL; an empty list matches nothing.
          return value.length
            ? eb(
                sql.id(column),
                'in',
                value.map((v) => columnValue(dialect, undefined, v)),
              )
            : sql<boolean>`1 = 0`;
        }
        return eb(sql.id(column), '=', columnValue(dialect, columns.get(column), value));
      }),
    );
}

function returningList(returning: Returning) {
  return returning === '*' || returning === undefined ? [] : returning.map((c) => sql.id(c).as(c));
}

function statementOf(compiled: { sql: string; parameters: readonly unknown[] }): Statement {
  return { query: compiled.sql, parameters: [...compiled.parameters] };
}

/**
 * @example buildInsert('postgres', 'public.customers', cols, [{ name: 'Ada' }], { returning: ['id'] })
 * // insert into "public"."customers" ("name") values ($1) returning "id" as "id"
 */
export function buildInsert(
  dialect: Dialect,
  table: string,
  columns: Columns,
  rows: Row[],
  opts: { returning?: Returning; onConflict?: { columns: string[]; action: 'nothing' | 'update' } | undefined },
): Statement {
  const db = builders[dialect];
  let query: any = db.insertInto(table).values(rows.map((row) => rowValues(dialect, columns, row)));
  const conflict = opts.onConflict;
  if (conflict) {
    const written = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter((c) => !conflict.columns.includes(c));
    const update = conflict.action === 'update' && written.length > 0;
    if (dialect === 'postgres') {
      query = query.onConflict((oc: any) => {
        const target = oc.columns(conflict.columns);
        return update ? target.doUpdateSet(Object.fromEntries(written.map((c) => [c, sql.id('excluded', c)]))) : target.doNothing();
      });
    } else if (update) {
      // MySQL matches any unique key; VALUES(col) is the value the row tried to insert.
      query = query.onDuplicateKeyUpdate(Object.fromEntries(written.map((c) => [c, sql`values(${sql.id(c)})`])));
    } else {
      query = query.ignore();
    }
  }
  if (opts.returning === '*') query = query.returningAll();
  else if (opts.returning) query = query.returning(returningList(opts.returning));
  return statementOf(query.compile());
}

export function buildUpdate(dialect: Dialect, table: string, columns: Columns, data: Row, where: Row, returning: Returning): Statement {
  let query: any = builders[dialect]
    .updateTable(table)
    .set(rowValues(dialect, columns, data))
    .where(whereClause(dialect, columns, where));
  if (returning === '*') query = query.returningAll();
  else if (returning) query = query.returning(returningList(returning));
  return statementOf(query.compile());
}

export function buildDelete(dialect: Dialect, table: string, columns: Columns, where: Row, returning: Returning): Statement {
  let query: any = builders[dialect].deleteFrom(table).where(whereClause(dialect, columns, where));
  if (returning === '*') query = query.returningAll();
  else if (returning) query = query.returning(returningList(returning));
  return statementOf(query.compile());
}
