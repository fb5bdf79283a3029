// Runs statements on a Postgres pool with a statement timeout: `SET LOCAL` inside a
// transaction, or a session `SET` reset afterwards for a lone statement (which may be
// one that cannot run in a transaction block, like VACUUM). On cancel or step timeout
// the running statement is cancelled on the server with pg_cancel_backend.
import pg from 'pg';
import { StepError } from '../../core/errors.js';
import { sqlStepError, timeoutError } from './sql-errors.js';
import { statementPlace, type SessionOptions, type Statement, type StatementResult } from './statements.js';

/** A node-postgres client exposes its backend pid as processID (not in @types/pg). */
type Backend = pg.PoolClient & { processID?: number };

async function cancelBackend(pool: pg.Pool, client: Backend): Promise<void> {
  if (!client.processID) return;
  // A fresh client: the pool may be exhausted by the very query being cancelled.
  const canceller = new pg.Client(pool.options);
  canceller.on('error', () => undefined);
  try {
    await canceller.connect();
    await canceller.query('select pg_cancel_backend($1)', [client.processID]);
  } finally {
    await canceller.end().catch(() => undefined);
  }
}

function shape(result: pg.QueryResult | pg.QueryResult[]): StatementResult {
  // A text of several statements without parameters answers with one result each; the last one counts.
  const last = Array.isArray(result) ? result[result.length - 1]! : result;
  const rows = (last.rows ?? []) as Record<string, unknown>[];
  return { rows, row_count: last.rowCount ?? rows.length };
}

export async function runPostgres(pool: pg.Pool, statements: Statement[], opts: SessionOptions): Promise<StatementResult[]> {
  let client: Backend;
  try {
    client = (await pool.connect()) as Backend;
  } catch (err) {
    throw sqlStepError(err, 'postgres', opts.label, { transaction: false });
  }
  let cancelled = false;
  let broken: Error | undefined;
  const onAbort = () => {
    cancelled = true;
    void cancelBackend(pool, client).catch(() => undefined);
  };
  opts.signal.addEventListener('abort', onAbort, { once: true });
  // An integer we computed, never text from the workflow: safe to write into SET.
  const ms = Math.max(1, Math.round(opts.timeoutMs));
  try {
    await client.query(opts.transaction ? `begin; set local statement_timeout = ${ms}` : `set statement_timeout = ${ms}`);
    const results: StatementResult[] = [];
    for (const [i, statement] of statements.entries()) {
      try {
        results.push(shape(await client.query({ text: statement.query, values: statement.parameters })));
      } catch (err) {
        if ((err as { code?: string }).code === '57014' && !cancelled) throw timeoutError(ms, opts.label, opts.transaction);
        throw sqlStepError(err, 'postgres', statementPlace(opts.label, i, statements.length), {
          transaction: opts.transaction,
          ...(opts.hint ? { hint: opts.hint } : {}),
        });
      }
    }
    await client.query(opts.transaction ? 'commit' : 'reset statement_timeout');
    return results;
  } catch (err) {
    await client.query(opts.transaction ? 'rollback' : 'reset statement_timeout').catch((e: Error) => {
      broken = e;
    });
    throw err instanceof StepError ? err : sqlStepError(err, 'postgres', opts.label, { transaction: opts.transaction });
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
    // A client that could not roll back or reset is closed, not handed to the next step.
    client.release(broken ?? (cancelled ? true : undefined));
  }
}
