// Talking to a test node's API as a script or the console's browser code would: with
// an API key or a console session cookie, JSON or YAML bodies, and server-sent events
// read from the live HTTP stream.
import type { Db } from '../../db/client.js';
import type { UserRole } from '../../db/schema.js';
import { createSession } from '../../server/console-auth/sessions.js';
import { createUser } from '../../server/console-auth/users.js';

export interface ApiAnswer {
  status: number;
  text: string;
  json: any;
  headers: Headers;
}

export interface CallOptions {
  /** `Authorization: Bearer <key>`. */
  key?: string | undefined;
  /** A console session cookie (`kf_session=...`). */
  cookie?: string | undefined;
  /** The Origin header (browsers send it with every POST). */
  origin?: string | undefined;
  json?: unknown;
  yaml?: string;
}

export async function callApi(baseUrl: string, method: string, path: string, opts: CallOptions = {}): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.origin) headers.origin = opts.origin;
  let body: string | undefined;
  if (opts.yaml !== undefined) {
    headers['content-type'] = 'application/yaml';
    body = opts.yaml;
  } else if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, text, json, headers: res.headers };
}

/** A console user with `role` and a live session: the Cookie header value. */
export async function consoleSession(
  db: Db,
  role: UserRole,
  email = `${role}-${Math.random().toString(36).slice(2)}@example.com`,
): Promise<string> {
  const user = await createUser(db, { email, password: 'correct horse battery staple', role });
  const { token } = await createSession(db, user.id);
  return `kf_session=${encodeURIComponent(token)}`;
}

/** Polls GET /api/runs/<id> until the run has ended (usable in hooks too); returns it. */
export async function waitForRunEnd(baseUrl: string, key: string, runId: string, timeout = 30_000): Promise<any> {
  const until = Date.now() + timeout;
  for (;;) {
    const run = (await callApi(baseUrl, 'GET', `/api/runs/${runId}`, { key })).json;
    if (/^(succeeded|failed|cancelled)$/.test(run?.status ?? '')) return run;
    if (Date.now() > until) throw new Error(`Run ${runId} did not end within ${timeout} ms (last seen ${run?.status}).`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface SseEvent {
  event: string;
  data: any;
}

/**
 * Opens an event stream and reads it as it arrives; `onEvent` sees each event at once
 * (to act while the run is in flight). Resolves with all events when the server closes it.
 */
export async function readEventStream(
  url: string,
  headers: Record<string, string>,
  onEvent: (e: SseEvent) => void = () => undefined,
): Promise<{ status: number; type: string | null; events: SseEvent[] }> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers } });
  const events: SseEvent[] = [];
  if (!res.ok || !res.body) return { status: res.status, type: res.headers.get('content-type'), events };
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length === 0) continue;
      const e = { event, data: JSON.parse(data.join('\n')) };
      events.push(e);
      onEvent(e);
    }
  }
  return { status: res.status, type: res.headers.get('content-type'), events };
}
