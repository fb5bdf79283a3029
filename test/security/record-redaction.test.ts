// What a run records - step inputs, outputs, errors, logs - keeps no credential that
// travelled in a URL (`?api_key=...`, `&sig=...`) even when it is not a stored secret,
// and an error that quotes a remote answer is redacted before it is cut to length, so
// a secret straddling the cut does not survive as an unredacted prefix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBench, type Bench } from '../helpers/engine.js';
import { json, startHttpServer, type TestHttpServer } from '../actions/http/http-server.js';
import { errorOf, runAction } from '../actions/http/step.js';

let bench: Bench;
let server: TestHttpServer;
const TOKEN = 'tok-0123456789abcdefghijklmnopqrstuvwxyz';
/** What remains of TOKEN when text is cut inside it: long enough to be worth stealing. */
const TOKEN_PREFIX = TOKEN.slice(0, 8);

beforeAll(async () => {
  [bench, server] = await Promise.all([startBench(), startHttpServer()]);
  await bench.services.vault.secrets.set('long_token', TOKEN);
  server.route('GET', '/quiet', (_req, res) => json(res, 200, { ok: true }));
  server.route('GET', '/missing', (_req, res) => json(res, 404, { error: 'no such thing' }));
  // A server that quotes the request's credentials back in its error page.
  for (const [path, at] of [
    ['/status-echo', 290],
    ['/soap-echo', 190],
    ['/json-echo', 190],
  ] as const) {
    server.route('*', path, (req, res) => {
      res.writeHead(path === '/status-echo' ? 400 : 200, { 'content-type': path === '/json-echo' ? 'application/json' : 'text/plain' });
      res.end(`${'x'.repeat(at)}${req.headers.authorization ?? ''} and more text after it`);
    });
  }
});
afterAll(async () => {
  await server?.close();
  await bench?.stop();
});

const recorded = (value: unknown) => JSON.stringify(value);

describe('secret-looking URL parameters', () => {
  it('reach the server but are stored as *** in the step input and output', async () => {
    const { run, last } = await runAction(
      bench,
      `
type: http_request
method: GET
url: "${server.url}/quiet?api_key=plain-key-1234&page=2&sig=sig-value-5678"
`,
    );
    expect(run.status).toBe('succeeded');
    const sent = server.to('/quiet').at(-1)!;
    expect(Object.fromEntries(sent.query)).toEqual({ api_key: 'plain-key-1234', page: '2', sig: 'sig-value-5678' });
    expect((last.input as { url: string }).url).toBe(`${server.url}/quiet?api_key=***&page=2&sig=***`);
    expect(recorded(run)).not.toContain('plain-key-1234');
    expect(recorded(run)).not.toContain('sig-value-5678');
  });

  it('are stored as *** in a failed step error', async () => {
    const { run, last } = await runAction(
      bench,
      `
type: http_request
method: GET
url: "${server.url}/missing?access_token=plain-token-1234&Signature=abc%2Fdef123"
`,
    );
    expect(run.status).toBe('failed');
    expect(errorOf(last).message).toContain('/missing?access_token=***&Signature=***');
    expect(recorded(run)).not.toContain('plain-token-1234');
    expect(recorded(run)).not.toContain('abc%2Fdef123');
  });
});

describe('error texts quoting a remote answer', () => {
  const call = (path: string, extra = '') => `
type: ${path === '/soap-echo' ? 'soap' : 'http_request'}
${path === '/soap-echo' ? 'body: "<Ping/>"' : 'method: GET'}
url: "${server.url}${path}"
headers: { Authorization: "{{secrets.long_token}}" }
${extra}
`;

  it('redact an HTTP status error before cutting it', async () => {
    const { last } = await runAction(bench, call('/status-echo'));
    expect(errorOf(last).message).toContain('answered 400');
    expect(recorded(last)).not.toContain(TOKEN_PREFIX);
  });

  it('redact a SOAP answer without an envelope before cutting it', async () => {
    const { last } = await runAction(bench, call('/soap-echo'));
    expect(errorOf(last).message).toContain('without a SOAP envelope');
    expect(recorded(last)).not.toContain(TOKEN_PREFIX);
  });

  it('redact an answer that is not valid JSON before cutting it', async () => {
    const { last } = await runAction(bench, call('/json-echo', 'response_type: json'));
    expect(errorOf(last).message).toContain('not valid JSON');
    expect(recorded(last)).not.toContain(TOKEN_PREFIX);
  });
});
