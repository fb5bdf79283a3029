// What the SQL sessions run and return, whatever the dialect.

export interface Statement {
  query: string;
  parameters: unknown[];
}

export interface StatementResult {
  rows: Record<string, unknown>[];
  /** Rows returned by a SELECT (or RETURNING), rows changed by INSERT/UPDATE/DELETE. */
  row_count: number;
  /** MySQL: the AUTO_INCREMENT id of the first inserted row. */
  insert_id?: number;
}

export interface SessionOptions {
  /** Per statement; the database cancels a statement running longer. */
  timeoutMs: number;
  /** All statements commit together or not at all. */
  transaction: boolean;
  signal: AbortSignal;
  /** The database in messages: `connection "main"`. */
  label: string;
  /** Added to error messages (e.g. a dialect limitation). */
  hint?: string;
}

export const DEFAULT_QUERY_TIMEOUT_MS = 30_000;

/** `connection "main"`, or `connection "main" (statement 2 of 3)`. */
export function statementPlace(label: string, index: number, count: number): string {
  return count > 1 ? `${label} (statement ${index + 1} of ${count})` : label;
}
