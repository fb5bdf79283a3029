// The HTTP core every HTTP-based action shares (http_request, graphql, soap, webhook):
// build the body, send it through safeFetch (checked addresses, checked redirects)
// within the step's timeout, and read the answer into step data. Whether a status
// fails the step is the caller's decision (graphql and soap read error bodies first).
import { createHash } from 'node:crypto';
import { NonRetryableError, StepError } from '../../core/errors.js';
import { OutboundRefusedError } from '../../net/outbound-policy.js';
import { safeFetch } from '../../net/safe-fetch.js';
import type { ActionContext } from '../../core/action.js';
import { buildRequestBody, type BodyType } from './request-body.js';
import { readResponseBody, type ResponseType } from './response-body.js';
import type { Answer } from './status-errors.js';
import type { Target } from './target.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface HttpCall {
  method: string;
  target: Target;
  body?: unknown;
  bodyType?: BodyType | undefined;
  timeoutMs?: number | undefined;
  followRedirects?: boolean | undefined;
  responseType?: ResponseType | undefined;
  /** true: a key derived from the run and the step, the same on every retry; text: that key. */
  idempotencyKey?: boolean | string | undefined;
}

export interface HttpOutput {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * The Idempotency-Key of one step in one run: retries of the step send the same key,
 * so a server that saw the first attempt succeed does not act twice.
 */
export function stepIdempotencyKey(runId: string, stepPath: string): string {
  const hex = createHash('sha256').update(`${runId}:${stepPath}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code;
  const known: Record<string, string> = {
    ECONNREFUSED: 'the connection was refused (is the server running on that port?)',
    ENOTFOUND: 'the host name does not resolve (check the spelling, or DNS)',
    EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
    ECONNRESET: 'the connection was reset by the server',
    ETIMEDOUT: 'the connection timed out',
    UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
    UND_ERR_SOCKET: 'the server closed the connection',
    CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
    DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed",
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate cannot be verified",
  };
  if (code && known[code]) return `${known[code]} (${code})`;
  return cause?.message ?? (err as Error).message;
}

const seconds = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);

/**
 * Sends the request and reads the answer.
 * @throws NonRetryableError for refused destinations and bad bodies, StepError (retryable) for network failures and timeouts
 */
export async function performHttp(ctx: ActionContext, call: HttpCall): Promise<{ output: HttpOutput; answer: Answer }> {
  const home = ctx.services.config.home;
  const method = call.method.toUpperCase();
  const { url } = call.target;
  const label = `${method} ${url.href}`;
  const built = await buildRequestBody(call.body, call.bodyType, call.target.headers, home);
  if (built.body !== null && (method === 'GET' || method === 'HEAD')) {
    throw new NonRetryableError(`${label}: a ${method} request has no body; move the values to query:, or use method: POST.`);
  }
  const headers = built.headers;
  if (call.idempotencyKey && !Object.keys(headers).some((h) => h.toLowerCase() === 'idempotency-key')) {
    headers['idempotency-key'] = call.idempotencyKey === true ? stepIdempotencyKey(ctx.run.id, ctx.step.path) : call.idempotencyKey;
  }
  const timeoutMs = call.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  const failure = (err: unknown): unknown => {
    if (ctx.signal.aborted) return ctx.signal.reason;
    if (err instanceof OutboundRefusedError) return new NonRetryableError(err.message);
    if (err instanceof StepError) return err;
    if (timeout.aborted)
      return new StepError(`${label} got no complete answer within ${seconds(timeoutMs)}; raise timeout: if the server is just slow.`);
    // fetch() refusing to build the request (a header value with a line break, say) is the
    // step's own doing; network failures are TypeErrors too, but carry their cause.
    if (err instanceof TypeError && err.cause === undefined && err.message !== 'fetch failed' && err.message !== 'terminated') {
      return new NonRetryableError(`${label}: ${err.message}`);
    }
    return new StepError(`${label} failed: ${describeNetworkError(err)}`);
  };
  const started = Date.now();
  try {
    const {
      response,
      url: finalUrl,
      redirects,
    } = await safeFetch(url, {
      method,
      headers,
      body: built.body,
      signal,
      followRedirects: call.followRedirects ?? true,
      credentialHeaders: call.target.credentialHeaders,
      onRedirect: (hop) => ctx.log('info', `redirected (${hop.status}) from ${hop.from} to ${hop.to}`),
    });
    const body = await readResponseBody(response, call.responseType ?? 'auto', {
      home,
      runId: ctx.run.id,
      warn: (message) => ctx.log('warn', message),
      redact: (text) => ctx.redact(text),
    });
    ctx.log(
      'info',
      `${label} answered ${response.status} in ${Date.now() - started} ms${redirects ? ` after ${redirects} redirect(s)` : ''}`,
    );
    const output: HttpOutput = { status: response.status, headers: Object.fromEntries(response.headers), body };
    return {
      output,
      answer: { method, url: finalUrl, status: response.status, statusText: response.statusText, headers: response.headers, body },
    };
  } catch (err) {
    throw failure(err);
  }
}
