// Where a request goes and with which credentials: the step's URL (relative to a named
// http connection's base URL when it names one), its query parameters, its headers and
// its `auth`. Credential values are registered as secrets so an echo of them in the
// answer is redacted from the run record.
import { z } from 'zod';
import { connectionSecretValues, httpBaseFromUrl } from '../../connections/urls.js';
import { NonRetryableError } from '../../core/errors.js';
import type { ActionContext } from '../../core/action.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

export const authParams = z.discriminatedUnion('type', [
  z.object({ type: z.literal('basic'), username: scalar, password: scalar }),
  z.object({ type: z.literal('bearer'), token: scalar }),
  z.object({ type: z.literal('api_key'), value: scalar, header: z.string().optional(), query: z.string().optional() }),
]);
export type AuthParams = z.output<typeof authParams>;

/** Header maps after templates: numbers and booleans become text, null drops the header. */
export const headerParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).transform((h) =>
  Object.fromEntries(
    Object.entries(h)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, String(v)]),
  ),
);

export const queryParams = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number(), z.boolean()]))]),
);

export interface Target {
  url: URL;
  headers: Record<string, string>;
  /** Header names that carry credentials: not forwarded when a redirect changes origin. */
  credentialHeaders: string[];
}

function parseUrl(text: string, base?: string): URL {
  try {
    if (!base) return new URL(text);
    if (/^https?:\/\//i.test(text)) return new URL(text);
    // Relative to the base *path*: base https://api.x.com/v2 + /orders = https://api.x.com/v2/orders.
    const root = new URL(base);
    const question = text.indexOf('?');
    const pathPart = question === -1 ? text : text.slice(0, question);
    root.pathname = `${root.pathname.replace(/\/+$/, '')}/${pathPart.replace(/^\/+/, '')}`;
    if (question !== -1) for (const [k, v] of new URLSearchParams(text.slice(question + 1))) root.searchParams.append(k, v);
    return root;
  } catch {
    throw new NonRetryableError(
      `"${text}" is not a valid URL; write it as https://host/path${base ? ' or as a path relative to the connection' : ''}.`,
    );
  }
}

function applyAuth(auth: AuthParams, url: URL, headers: Record<string, string>, ctx: ActionContext): string[] {
  switch (auth.type) {
    case 'basic':
      ctx.addSecret(auth.password);
      headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
      return ['authorization'];
    case 'bearer':
      ctx.addSecret(auth.token);
      headers.authorization = `Bearer ${auth.token}`;
      return ['authorization'];
    case 'api_key': {
      ctx.addSecret(auth.value);
      if (auth.header && auth.query) throw new NonRetryableError('auth api_key takes header: or query:, not both.');
      if (auth.query) {
        url.searchParams.set(auth.query, auth.value);
        return [];
      }
      const name = (auth.header ?? 'X-API-Key').toLowerCase();
      headers[name] = auth.value;
      return [name];
    }
  }
}

/**
 * @example await resolveTarget(ctx, { url: '/api/tasks', connection: 'khaosbase', query: { page: 2 } })
 */
export async function resolveTarget(
  ctx: ActionContext,
  p: {
    url: string;
    query?: z.output<typeof queryParams> | undefined;
    headers?: Record<string, string> | undefined;
    connection?: string | undefined;
    auth?: AuthParams | undefined;
  },
): Promise<Target> {
  const headers: Record<string, string> = {};
  const credentialHeaders: string[] = [];
  const useCredentials = (extra: Record<string, string>) => {
    for (const [name, value] of Object.entries(extra)) {
      ctx.addSecret(value);
      headers[name] = value;
      credentialHeaders.push(name);
    }
  };
  let url: URL;
  if (p.connection) {
    const connection = await ctx.connections.resolve('http', p.connection);
    for (const secret of connectionSecretValues(connection)) ctx.addSecret(secret);
    const base = httpBaseFromUrl(connection.url, connection.options);
    url = parseUrl(p.url, base.baseUrl);
    if (url.origin !== new URL(base.baseUrl).origin) {
      throw new NonRetryableError(
        `The URL ${url.origin} is not the origin of connection "${p.connection}" (${new URL(base.baseUrl).origin}); give a path relative to the connection, or drop connection: for another host.`,
      );
    }
    useCredentials(base.headers);
  } else {
    url = parseUrl(p.url);
    // fetch() refuses URLs with credentials; they mean Basic auth, as for a connection.
    if (url.username || url.password) {
      const base = httpBaseFromUrl(url.href);
      if (url.password) ctx.addSecret(decodeURIComponent(url.password));
      useCredentials(base.headers);
      url = new URL(base.baseUrl);
    }
  }
  for (const [name, value] of Object.entries(p.query ?? {})) {
    if (value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
  }
  for (const [name, value] of Object.entries(p.headers ?? {})) headers[name.toLowerCase()] = value;
  if (p.auth) credentialHeaders.push(...applyAuth(p.auth, url, headers, ctx));
  return { url, headers, credentialHeaders };
}
