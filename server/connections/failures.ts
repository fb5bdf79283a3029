// Turns what client libraries throw (network codes, protocol replies, driver error
// classes) into one reason a person can act on.
import type { ConnectionType } from './types.js';

interface ErrorLike {
  code?: string | number;
  errno?: string | number;
  name?: string;
  message?: string;
  responseCode?: number;
  authenticationFailed?: boolean;
  errors?: ErrorLike[];
  cause?: ErrorLike;
  $metadata?: { httpStatusCode?: number };
  response?: string;
}

const NETWORK_CODES = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH)\b/;

/** The network error behind a driver's own error type (nodemailer's ESOCKET, an AggregateError for localhost's ::1 and 127.0.0.1, ...). */
function networkCode(err: ErrorLike): string | undefined {
  const candidates = [err.code, ...(err.errors ?? []).map((e) => e.code), err.cause?.code, err.message];
  for (const candidate of candidates) {
    const match = typeof candidate === 'string' ? NETWORK_CODES.exec(candidate) : null;
    if (match) return match[1];
  }
  return undefined;
}

function isAuthFailure(type: ConnectionType, err: ErrorLike): boolean {
  const message = err.message ?? '';
  if (err.authenticationFailed) return true;
  switch (type) {
    case 'postgres':
      return err.code === '28P01' || err.code === '28000';
    case 'mysql':
      return err.code === 'ER_ACCESS_DENIED_ERROR' || err.code === 'ER_DBACCESS_DENIED_ERROR';
    case 'smtp':
      return err.code === 'EAUTH';
    case 'ftp':
      return err.code === 530;
    case 'sftp':
      return /authentication methods failed/i.test(message);
    case 's3':
      return (
        ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'Forbidden'].includes(err.name ?? '') ||
        err.$metadata?.httpStatusCode === 403
      );
    case 'mongodb':
      return /auth(entication)? failed/i.test(message);
    case 'http':
      return err.code === 'EAUTH';
    default:
      return false;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim().replace(/\.$/, '');
}

/** One reason, without the leading "could not connect" (the caller says that). */
export function describeConnectionFailure(type: ConnectionType, error: unknown, timeoutMs: number): string {
  const err = (error ?? {}) as ErrorLike;
  // fetch() says only "fetch failed"; the reason is its cause.
  if (err.message === 'fetch failed' && err.cause) return describeConnectionFailure(type, err.cause, timeoutMs);
  const message = firstLine(err.message ?? String(error));
  if (isAuthFailure(type, err)) {
    const detail = err.response ?? message;
    return `the login was refused (${firstLine(detail) || 'authentication failed'}); check the user name and password`;
  }
  const code = networkCode(err);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused; is the server running, and are the host and port right?';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve; check the host in the URL';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host cannot be reached from this machine (network or firewall)';
    case 'ECONNRESET':
      return 'the server closed the connection; is TLS expected where plain text was sent (or the reverse)?';
    case 'ETIMEDOUT':
    case 'ETIMEOUT':
    case 'ESOCKETTIMEDOUT':
    case 'ERR_SOCKET_CONNECTION_TIMEOUT':
      return `no answer within ${timeoutMs} ms; check the host and port, and any firewall between`;
  }
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || /timed? ?out/i.test(message)) {
    return `no answer within ${timeoutMs} ms; check the host and port, and any firewall between`;
  }
  if (typeof err.code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(err.code)) {
    return `the server's TLS certificate is not trusted (${message}); fix the certificate, or add ?reject_unauthorized=false for a test server`;
  }
  if (type === 's3' && err.name === 'NotFound') return 'the bucket named in the URL does not exist';
  if (type === 's3' && err.$metadata?.httpStatusCode)
    return `the server answered HTTP ${err.$metadata.httpStatusCode} (${err.name ?? message})`;
  return message || 'it failed without saying why';
}
