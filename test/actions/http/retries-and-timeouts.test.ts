import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../../server/actions/http/status-errors.js';
import { startBench, type Bench } from '../../helpers/engine.js';
import { json, startHttpServer, type TestHttpServer } from './http-server.js';
import { errorOf, runAction } from './step.js';

let bench: Bench;
let server: TestHttpServer;
beforeAll(async () => {
  [bench, server] = await Promise.all([startBench(), startHttpServer()]);
});
afterAll(async () => {
  await server?.close();
  await bench?.stop();
});

const gapMs = (a: { started_at: Date }, b: { started_at: Date }) => new Date(b.started_at).getTime() - new Date(a.started_at).getTime();

describe('retries of HTTP steps', () => {
  it('waits the Retry-After seconds of a 429 before the next attempt', async () => {
    let calls = 0;
    server.route('GET', '/busy', (_req, res) =>
      ++calls === 1 ? json(res, 429, { error: 'slow down' }, { 'retry-after': '2' }) : json(res, 200, { ok: true }),
    );
    const { run, attempts } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/busy
retry: { attempts: 3, delay: 10ms }`,
    );
    expect(run.status).toBe('succeeded');
    expect(attempts.map((a) => a.status)).toEqual(['failed', 'succeeded']);
    expect(errorOf(attempts[0]!)).toMatchObject({ name: 'RetryAfterError', details: { status: 429, retry_after_ms: 2000 } });
    expect(gapMs(attempts[0]!, attempts[1]!)).toBeGreaterThanOrEqual(2000);
  });

  it('waits until the HTTP date of a 503 Retry-After', async () => {
    let until = 0;
    server.route('GET', '/maintenance', (_req, res) => {
      if (until === 0) {
        until = Math.ceil(Date.now() / 1000) * 1000 + 2000; // HTTP dates have whole seconds
        return json(res, 503, { error: 'maintenance' }, { 'retry-after': new Date(until).toUTCString() });
      }
      json(res, 200, { ok: true });
    });
    const { run, attempts } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/maintenance
retry: { attempts: 2, delay: 10ms }`,
    );
    expect(run.status).toBe('succeeded');
    expect(attempts).toHaveLength(2);
    expect(new Date(attempts[1]!.started_at).getTime()).toBeGreaterThanOrEqual(until);
  });

  it('does not retry a 404, and says what the server answered', async () => {
    server.route('GET', '/missing', (_req, res) => json(res, 404, { error: 'no such order', id: 7 }));
    const { run, attempts } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/missing
retry: { attempts: 3, delay: 10ms }`,
    );
    expect(run.status).toBe('failed');
    expect(attempts).toHaveLength(1);
    expect(server.to('/missing')).toHaveLength(1);
    expect(errorOf(attempts[0]!)).toMatchObject({
      name: 'NonRetryableError',
      message: `GET ${server.url}/missing answered 404 Not Found: {"error":"no such order","id":7}`,
      details: { status: 404 },
    });
  });

  it('retries a 500 and a 408', async () => {
    const answers = [500, 408, 200];
    server.route('GET', '/flaky', (_req, res) => json(res, answers.shift()!, {}));
    const { run, attempts } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/flaky
retry: { attempts: 3, delay: 10ms }`,
    );
    expect(run.status).toBe('succeeded');
    expect(attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'succeeded']);
  });

  it('returns error answers as data when fail_on_status is false', async () => {
    server.route('GET', '/teapot', (_req, res) => json(res, 418, { short: true }));
    const { last } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/teapot
fail_on_status: false`,
    );
    expect(last.output).toMatchObject({ status: 418, body: { short: true } });
  });

  it('gives up at the timeout and may retry', async () => {
    const held: Array<() => void> = [];
    server.route(
      'GET',
      '/hang',
      (_req, res) =>
        new Promise<void>((resolve) =>
          held.push(() => {
            res.end();
            resolve();
          }),
        ),
    );
    const { run, attempts } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/hang
timeout: 300ms
retry: { attempts: 2, delay: 10ms }`,
    );
    expect(run.status).toBe('failed');
    expect(attempts).toHaveLength(2);
    expect(errorOf(attempts[0]!)).toMatchObject({
      name: 'StepError',
      retryable: true,
      message: `GET ${server.url}/hang got no complete answer within 300 ms; raise timeout: if the server is just slow.`,
    });
    for (const release of held) release();
  });

  it('reports a refused connection as retryable', async () => {
    const closed = await startHttpServer();
    await closed.close();
    const { last } = await runAction(
      bench,
      `
type: http_request
url: ${closed.url}/`,
    );
    expect(errorOf(last)).toMatchObject({
      retryable: true,
      message: `GET ${closed.url}/ failed: the connection was refused (is the server running on that port?) (ECONNREFUSED)`,
    });
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});
