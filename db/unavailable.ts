// Telling "the database is away" (restart, crash recovery, failover, network) apart
// from a query that is wrong. The first passes by itself, so callers answer "try again
// shortly" (HTTP 503 with Retry-After) instead of a 500 that reads like a bug.

// Postgres SQLSTATEs: class 08 connection exceptions; 57P01/57P02/57P03 admin shutdown,
// crash shutdown, "the database system is starting up / in recovery"; 53300 too many
// connections.
const SQLSTATES = /^(08...|57P0[123]|53300)$/;
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// node-postgres reports a socket closed under a query, and a pool wait that timed out,
// with messages only.
const MESSAGES = /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect/i;

/** True when `err` (or its cause) says the database could not be reached or went away mid-query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (SQLSTATES.test(code) || SOCKET_CODES.has(code))) return true;
    if (e instanceof Error && MESSAGES.test(e.message)) return true;
  }
  return false;
}
