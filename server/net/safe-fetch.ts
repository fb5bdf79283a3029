// fetch() for requests a workflow makes: redirects are followed by hand so every hop is
// checked like the first URL (a public URL must not bounce a request to the metadata
// service), credentials are not carried to another origin, and each connection's
// resolved address is checked by the guarded dispatcher.
import { outboundDispatcher, preflightCheck } from './dispatcher.js';
import { checkUrl, OutboundRefusedError, outboundPolicyFromEnv, type OutboundPolicy } from './outbound-policy.js';

export interface SafeFetchOptions {
  method: string;
  headers: Record<string, string>;
  /** Must be re-sendable (text, bytes, URLSearchParams, FormData, Blob): 307/308 repeat it. */
  body?: string | Uint8Array | URLSearchParams | FormData | Blob | null;
  signal: AbortSignal;
  followRedirects?: boolean;
  maxRedirects?: number;
  policy?: OutboundPolicy;
  /** Header names (lower-case) that carry credentials: dropped when a redirect changes origin. */
  credentialHeaders?: readonly string[];
  onRedirect?: (hop: { status: number; from: string; to: string }) => void;
}

export interface SafeFetchResult {
  response: Response;
  /** The URL that answered (after redirects). */
  url: string;
  redirects: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ALWAYS_CREDENTIALS = ['authorization', 'proxy-authorization', 'cookie'];
/** Custom headers whose names say they carry a secret (X-Api-Key, X-Shop-Token, X-Signature...). */
const SECRET_LOOKING = /auth|token|key|secret|session|signature|password|passwd|credential|cookie/i;

function unwrapRefusal(err: unknown): unknown {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (current instanceof OutboundRefusedError) return current;
    current = current.cause;
  }
  return err;
}

/**
 * @example const { response } = await safeFetch('https://api.example.com/orders', { method: 'GET', headers: {}, signal });
 * @throws OutboundRefusedError for a forbidden address, scheme or host; fetch's TypeError for network failures
 */
export async function safeFetch(input: string | URL, opts: SafeFetchOptions): Promise<SafeFetchResult> {
  const policy = opts.policy ?? outboundPolicyFromEnv();
  const maxRedirects = opts.maxRedirects ?? 10;
  const dispatcher = await outboundDispatcher(policy);
  let url = new URL(input);
  let method = opts.method.toUpperCase();
  let body = opts.body ?? null;
  const headers = Object.fromEntries(Object.entries(opts.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const credentials = new Set([...ALWAYS_CREDENTIALS, ...(opts.credentialHeaders ?? []).map((h) => h.toLowerCase())]);

  for (let redirects = 0; ; redirects++) {
    checkUrl(url, policy);
    if (!dispatcher) await preflightCheck(url, policy);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: method === 'GET' || method === 'HEAD' ? null : body,
        redirect: 'manual',
        signal: opts.signal,
        ...(dispatcher ? { dispatcher } : {}),
      } as RequestInit);
    } catch (err) {
      throw unwrapRefusal(err);
    }
    const location = response.headers.get('location');
    if (!REDIRECTS.has(response.status) || !location || opts.followRedirects === false) return { response, url: url.href, redirects };
    if (redirects >= maxRedirects) {
      await response.body?.cancel();
      throw new OutboundRefusedError(
        `Gave up after ${maxRedirects} redirects (last: ${url.href} -> ${location}); the server is redirecting in a loop.`,
      );
    }
    const next = new URL(location, url);
    await response.body?.cancel();
    opts.onRedirect?.({ status: response.status, from: url.href, to: next.href });
    // As browsers do: 303 always, and 301/302 after a POST, continue as a GET without the body.
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      if (method !== 'HEAD') method = 'GET';
      body = null;
      delete headers['content-type'];
      delete headers['content-length'];
    }
    if (next.origin !== url.origin)
      for (const name of Object.keys(headers)) if (credentials.has(name.toLowerCase()) || SECRET_LOOKING.test(name)) delete headers[name];
    url = next;
  }
}
