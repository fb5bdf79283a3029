// What an HTTP status means for the step: 2xx/3xx pass; 408, 429 and 5xx may heal on
// retry (honouring Retry-After when the server sends one); every other 4xx is the
// request's own fault and fails the step at once. The message carries what the remote
// side answered, so the run record says why without opening the server's logs.
import { NonRetryableError, RetryAfterError, StepError } from '../../core/errors.js';

/** Longest Retry-After honoured; a server asking for more is waited on this long. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;
const EXCERPT_CHARS = 300;

/**
 * Milliseconds a Retry-After header asks to wait (delta-seconds or an HTTP date), or
 * null when absent or unreadable.
 * @example retryAfterMs('120') // 120000
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(at - now, 0), MAX_RETRY_AFTER_MS);
}

/**
 * The start of a body as one line, for messages. Redacted before it is cut: a secret
 * cut in half would no longer match and its first half would be recorded.
 */
export function excerpt(body: unknown, redact: (text: string) => string): string {
  if (body === null || body === undefined) return '';
  const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? '');
  const line = redact(text).replace(/\s+/g, ' ').trim();
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS)}...` : line;
}

export interface Answer {
  method: string;
  url: string;
  status: number;
  statusText: string;
  headers: Headers;
  body: unknown;
}

/**
 * The error an answer's status calls for, or null for a success.
 * @param redact the step's redaction (ActionContext.redact), applied before the body is cut
 */
export function statusError(answer: Answer, redact: (text: string) => string, now = Date.now()): StepError | null {
  const { status } = answer;
  if (status < 400) return null;
  const said = excerpt(answer.body, redact);
  const message = `${answer.method} ${answer.url} answered ${status}${answer.statusText ? ` ${answer.statusText}` : ''}${said ? `: ${said}` : ''}`;
  const details = { status, body: said };
  if (status === 429 || status === 503) {
    const wait = retryAfterMs(answer.headers.get('retry-after'), now);
    if (wait !== null)
      return new RetryAfterError(`${message} (retry after ${Math.ceil(wait / 1000)} s)`, wait, {
        details: { ...details, retry_after_ms: wait },
      });
  }
  if (status === 408 || status === 429 || status >= 500) return new StepError(message, { details });
  return new NonRetryableError(message, { details });
}
