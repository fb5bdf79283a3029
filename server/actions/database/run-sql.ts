// One entry point for running statements, whichever SQL dialect the target speaks.
import { runMysql } from './mysql-session.js';
import { runPostgres } from './postgres-session.js';
import type { SessionOptions, Statement, StatementResult } from './statements.js';
import type { SqlTarget } from './target.js';

export function runSql(target: SqlTarget, statements: Statement[], opts: Omit<SessionOptions, 'label'>): Promise<StatementResult[]> {
  const options = { ...opts, label: target.label };
  return target.dialect === 'postgres' ? runPostgres(target.pool, statements, options) : runMysql(target.pool, statements, options);
}
