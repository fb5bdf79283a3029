// Runs statements on a MySQL/MariaDB pool. The timeout is enforced by killing the
// running statement (KILL QUERY from another connection), which works on MySQL and
// MariaDB alike and for every kind of statement (MySQL's max_execution_time covers
// SELECT only). A connection whose statement was killed is closed, not reused.
import type mysql from 'mysql2/promise';
import { StepError } from '../../core/errors.js';
import { expandPlaceholders } from './mysql-placeholders.js';
import { MYSQL_TIMEOUT_ERRNOS, sqlStepError, timeoutError } from './sql-errors.js';
import { statementPlace, type SessionOptions, type Statement, type StatementResult } from './statements.js';

type Answer = mysql.RowDataPacket[] | mysql.RowDataPacket[][] | mysql.ResultSetHeader | mysql.ResultSetHeader[];

function shape(answer: Answer): StatementResult {
  if (!Array.isArray(answer))
    return { rows: [], row_count: answer.affectedRows, ...(answer.insertId ? { insert_id: answer.insertId } : {}) };
  // CALL answers with one result set per SELECT in the procedure, then a header: the first set counts.
  const set = (Array.isArray(answer[0]) ? answer[0] : answer) as Record<string, unknown>[];
  const rows = set.filter((row) => row && !('affectedRows' in row && 'fieldCount' in row)).map((row) => ({ ...row }));
  return { rows, row_count: rows.length };
}

export async function runMysql(pool: mysql.Pool, statements: Statement[], opts: SessionOptions): Promise<StatementResult[]> {
  let connection: mysql.PoolConnection;
  try {
    connection = await pool.getConnection();
  } catch (err) {
    throw sqlStepError(err, 'mysql', opts.label, { transaction: false });
  }
  let killed: 'timeout' | 'abort' | null = null;
  const kill = (why: 'timeout' | 'abort') => {
    killed = why;
    // threadId is a number the server gave us, not workflow text.
    void pool.query(`KILL QUERY ${Number(connection.threadId)}`).catch(() => undefined);
  };
  const onAbort = () => kill('abort');
  opts.signal.addEventListener('abort', onAbort, { once: true });
  const ms = Math.max(1, Math.round(opts.timeoutMs));
  let broken = false;
  try {
    if (opts.transaction) await connection.query('START TRANSACTION');
    const results: StatementResult[] = [];
    for (const [i, statement] of statements.entries()) {
      const timer = setTimeout(() => kill('timeout'), ms);
      try {
        const { sql, values } = expandPlaceholders(statement.query, statement.parameters);
        // execute() binds on the server; a statement without values goes as plain text
        // (some statements cannot be prepared at all).
        const [answer] = values.length ? await connection.execute(sql, values as never[]) : await connection.query(sql);
        // Some statements stop early without an error when killed (BENCHMARK returns 0): their answer is not the real one.
        if (killed === 'timeout') throw timeoutError(ms, opts.label, opts.transaction);
        results.push(shape(answer as Answer));
      } catch (err) {
        if (err instanceof StepError) throw err;
        if (killed === 'timeout' && MYSQL_TIMEOUT_ERRNOS.has((err as { errno?: number }).errno ?? 0))
          throw timeoutError(ms, opts.label, opts.transaction);
        throw sqlStepError(err, 'mysql', statementPlace(opts.label, i, statements.length), {
          transaction: opts.transaction,
          ...(opts.hint ? { hint: opts.hint } : {}),
        });
      } finally {
        clearTimeout(timer);
      }
    }
    if (opts.transaction) await connection.query('COMMIT');
    return results;
  } catch (err) {
    if (opts.transaction)
      await connection.query('ROLLBACK').catch(() => {
        broken = true;
      });
    throw err instanceof StepError ? err : sqlStepError(err, 'mysql', opts.label, { transaction: opts.transaction });
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
    if (broken || killed) connection.destroy();
    else connection.release();
  }
}
