// Database errors as step errors: what failed, where, and whether a retry can help.
// A syntax error, a missing table or a broken constraint fails the same way every
// time, so it skips the retries; a lost connection, a deadlock or a timeout may not.
import { describeConnectionFailure } from '../../connections/failures.js';
import { NonRetryableError, StepError } from '../../core/errors.js';

interface DriverError {
  code?: string | number;
  errno?: number;
  message?: string;
  detail?: string;
  hint?: string;
  sqlMessage?: string;
}

/** SQLSTATE classes that describe the statement or the data, not the moment. */
const PERMANENT_PG_CLASSES = new Set(['0A', '21', '22', '23', '25', '28', '2B', '3D', '3F', '42', '44', 'P0']);

/** MySQL/MariaDB errors a retry may cure: lock wait timeout, deadlock, lost connection, too many connections. */
const TRANSIENT_MYSQL = new Set([1205, 1213, 2002, 2003, 2006, 2013, 1040, 1053]);

/** The statement was interrupted for running too long (MySQL 3024, MariaDB 1969, or our KILL QUERY: 1317). */
export const MYSQL_TIMEOUT_ERRNOS = new Set([1317, 3024, 1969]);

export function timeoutError(ms: number, label: string, transaction: boolean): StepError {
  const shown = ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
  return new StepError(
    `The query on ${label} ran longer than its timeout of ${shown} and was cancelled${transaction ? '; the transaction was rolled back' : ''}. Raise timeout: on the step's action, or make the query faster.`,
  );
}

function isNetworkError(err: DriverError): boolean {
  return (
    typeof err.code === 'string' &&
    /^(ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|PROTOCOL_CONNECTION_LOST)/.test(err.code)
  );
}

/**
 * @param where e.g. `connection "main"`, with `(statement 2 of 3)` when there are several
 */
export function sqlStepError(
  error: unknown,
  dialect: 'postgres' | 'mysql',
  where: string,
  opts: { transaction: boolean; hint?: string },
): StepError {
  if (error instanceof StepError) return error;
  const err = (error ?? {}) as DriverError;
  if (isNetworkError(err)) {
    return new StepError(`Could not reach the database (${where}): ${describeConnectionFailure(dialect, err, 10_000)}`, { cause: error });
  }
  const parts = [`The query failed on ${where}: ${err.sqlMessage ?? err.message ?? String(error)}`];
  if (err.detail) parts.push(`Detail: ${err.detail}`);
  if (err.hint) parts.push(`Hint: ${err.hint}`);
  if (opts.hint) parts.push(opts.hint);
  if (opts.transaction) parts.push('The transaction was rolled back: none of its statements took effect.');
  const message = parts.map((p) => p.replace(/[.\s]*$/, '.')).join(' ');
  const permanent =
    dialect === 'postgres'
      ? typeof err.code === 'string' && PERMANENT_PG_CLASSES.has(err.code.slice(0, 2))
      : typeof err.errno === 'number' && err.errno >= 1000 && err.errno < 2000 && !TRANSIENT_MYSQL.has(err.errno);
  return permanent ? new NonRetryableError(message, { cause: error }) : new StepError(message, { cause: error });
}
