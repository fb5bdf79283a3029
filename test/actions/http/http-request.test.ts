import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveConnection } from '../../../server/connections/store.js';
import { stepIdempotencyKey } from '../../../server/actions/http/http-call.js';
import { projectRoot } from '../../../server/paths.js';
import { startBench, type Bench } from '../../helpers/engine.js';
import { formDataOf, json, startHttpServer, type TestHttpServer } from './http-server.js';
import { errorOf, runAction } from './step.js';

let bench: Bench;
let server: TestHttpServer;
beforeAll(async () => {
  [bench, server] = await Promise.all([startBench(), startHttpServer()]);
  server.route('*', '/echo', (req, res) =>
    json(res, 200, {
      method: req.method,
      query: Object.fromEntries(req.query),
      body: req.body.toString(),
      type: req.headers['content-type'] ?? null,
    }),
  );
});
afterAll(async () => {
  await server?.close();
  await bench?.stop();
});

describe('http_request bodies', () => {
  it('runs the spec example: JSON body, bearer token from a secret, redacted in the record', async () => {
    await bench.services.vault.secrets.set('api_token', 'tok-spec-example-42');
    server.route('POST', '/orders', (req, res) => json(res, 201, { id: 99, received: JSON.parse(req.body.toString()) }));
    const spec = fs
      .readFileSync(path.join(projectRoot, 'examples/actions/http-request.yaml'), 'utf8')
      .replace('https://api.example.com', server.url);
    const { slug } = await bench.apply(`name: Spec HTTP Request\n${spec}`);
    const run = await bench.waitFor(await bench.start(slug, { id: 7, customer_name: 'Ada' }));
    expect(run.status).toBe('succeeded');
    const sent = server.to('/orders')[0]!;
    expect(sent.headers.authorization).toBe('Bearer tok-spec-example-42');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent.body.toString())).toEqual({ order_id: 7, customer: 'Ada' });
    const step = run.steps[0]!;
    expect(step.output).toMatchObject({ status: 201, body: { id: 99, received: { order_id: 7, customer: 'Ada' } } });
    expect((step.output as { headers: Record<string, string> }).headers['content-type']).toBe('application/json');
    expect(JSON.stringify(step.input)).toContain('Bearer ***');
    expect(JSON.stringify(step.input)).not.toContain('tok-spec-example-42');
  });

  it('sends query parameters and a JSON body', async () => {
    const { last } = await runAction(
      bench,
      `
type: http_request
method: PUT
url: ${server.url}/echo
query: { page: 2, q: "a b", flag: true }
body: { n: "{{trigger.data.n}}", list: [1, 2] }`,
      { n: 5 },
    );
    expect(last.output).toMatchObject({
      status: 200,
      body: { method: 'PUT', query: { page: '2', q: 'a b', flag: 'true' }, body: '{"n":5,"list":[1,2]}', type: 'application/json' },
    });
  });

  it('sends a form body when the Content-Type says so', async () => {
    const { last } = await runAction(
      bench,
      `
type: http_request
method: POST
url: ${server.url}/echo
headers: { Content-Type: application/x-www-form-urlencoded }
body: { name: "Ada Lovelace", tags: [math, engines] }`,
    );
    expect(last.output).toMatchObject({
      body: { body: 'name=Ada+Lovelace&tags=math&tags=engines', type: 'application/x-www-form-urlencoded' },
    });
  });

  it('sends a string as written, also when it is JSON text already', async () => {
    const { last } = await runAction(
      bench,
      `
type: http_request
method: POST
url: ${server.url}/echo
headers: { Content-Type: application/json }
body: "{{json(trigger.data)}}"`,
      { a: 1 },
    );
    expect(last.output).toMatchObject({ body: { body: '{"a":1}', type: 'application/json' } });
  });

  it('sends raw text as is', async () => {
    const { last } = await runAction(
      bench,
      `
type: http_request
method: POST
url: ${server.url}/echo
headers: { Content-Type: text/csv }
body: "id,name\\n1,Ada\\n"`,
    );
    expect(last.output).toMatchObject({ body: { body: 'id,name\n1,Ada\n', type: 'text/csv' } });
  });

  it('sends multipart with a file from disk and one from step data', async () => {
    // $KHAOSFLOW_HOME/files is the default file root (the OS temp folder is not).
    const files = path.join(bench.services.config.home, 'files');
    fs.mkdirSync(files, { recursive: true });
    const dir = fs.mkdtempSync(path.join(files, 'kf-upload-'));
    const file = path.join(dir, 'report.csv');
    fs.writeFileSync(file, 'a,b\n1,2\n');
    server.route('POST', '/upload', async (req, res) => {
      const form = await formDataOf(req);
      const report = form.get('report') as File;
      const note = form.get('note') as File;
      json(res, 200, {
        title: form.get('title'),
        report: { name: report.name, type: report.type, text: await report.text() },
        note: { name: note.name, text: await note.text() },
      });
    });
    const { last } = await runAction(
      bench,
      `
type: http_request
method: POST
url: ${server.url}/upload
body_type: multipart
body:
  title: Monthly
  report: { file: ${file}, content_type: text/csv }
  note: { content: "{{trigger.data.note}}", filename: note.txt }`,
      { note: 'from the trigger' },
    );
    expect(last.status).toBe('succeeded');
    expect((last.output as { body: unknown }).body).toEqual({
      title: 'Monthly',
      report: { name: 'report.csv', type: 'text/csv', text: 'a,b\n1,2\n' },
      note: { name: 'note.txt', text: 'from the trigger' },
    });
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses to upload a file outside the readable folders', async () => {
    const { run, last } = await runAction(
      bench,
      `
type: http_request
method: POST
url: ${server.url}/echo
body_type: multipart
body: { secret: { file: /etc/passwd } }`,
    );
    expect(run.status).toBe('failed');
    expect(errorOf(last).message).toMatch(/The path "\/etc\/passwd" is outside the file roots .*KHAOSFLOW_FILE_ROOTS/);
    expect(server.requests.some((r) => r.body.includes('root:'))).toBe(false);
  });
});

describe('http_request auth', () => {
  beforeAll(() => {
    server.route('GET', '/whoami', (req, res) =>
      json(res, 200, {
        authorization: req.headers.authorization ?? null,
        key: req.headers['x-api-key'] ?? null,
        query: Object.fromEntries(req.query),
      }),
    );
  });

  it('sends basic auth', async () => {
    const { last } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/whoami
auth: { type: basic, username: ada, password: "p@ss word" }`,
    );
    expect(server.to('/whoami').at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from('ada:p@ss word').toString('base64')}`);
    // Credentials echoed back are redacted from the recorded output.
    expect((last.output as { body: { authorization: string } }).body.authorization).toBe('Basic YWRhOn***A==');
  });

  it('sends a bearer token', async () => {
    const { last } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/whoami
auth: { type: bearer, token: abc.def.ghi }`,
    );
    expect(server.to('/whoami').at(-1)!.headers.authorization).toBe('Bearer abc.def.ghi');
    expect((last.output as { body: { authorization: string } }).body.authorization).toBe('Bearer ***');
  });

  it('sends an API key in a header or in the query', async () => {
    const inHeader = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/whoami
auth: { type: api_key, value: key-in-header }`,
    );
    expect(inHeader.run.status).toBe('succeeded');
    expect(server.to('/whoami').at(-1)!.headers['x-api-key']).toBe('key-in-header');
    const inQuery = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/whoami
auth: { type: api_key, value: key-in-query, query: api_key }`,
    );
    expect(inQuery.run.status).toBe('succeeded');
    expect(server.to('/whoami').at(-1)!.query.get('api_key')).toBe('key-in-query');
  });

  it('turns credentials in the URL into basic auth', async () => {
    const { run } = await runAction(
      bench,
      `
type: http_request
url: "${server.url.replace('http://', 'http://ada:url-secret@')}/whoami"`,
    );
    expect(run.status).toBe('succeeded');
    expect(server.to('/whoami').at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from('ada:url-secret').toString('base64')}`);
  });

  it('fails at once on a header value fetch cannot send', async () => {
    const { attempts, last } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/whoami
headers: { X-Note: "{{trigger.data.note}}" }
retry: { attempts: 3, delay: 10ms }`,
      { note: 'two\nlines' },
    );
    expect(attempts).toHaveLength(1);
    expect(errorOf(last).name).toBe('NonRetryableError');
  });

  it('uses a named http connection for the base URL and credentials', async () => {
    server.route('GET', '/v2/whoami', (req, res) =>
      json(res, 200, { authorization: req.headers.authorization ?? null, echoed: req.headers.authorization }),
    );
    await saveConnection(bench.services.db, bench.services.vault.secrets, {
      name: 'crm',
      url: `http://svc:conn-pass-123@${server.url.slice('http://'.length)}/v2`,
    });
    bench.services.vault.connections.invalidate();
    const { run, last } = await runAction(
      bench,
      `
type: http_request
connection: crm
url: /whoami`,
    );
    expect(run.status).toBe('succeeded');
    expect(server.to('/v2/whoami')[0]!.headers.authorization).toBe(`Basic ${Buffer.from('svc:conn-pass-123').toString('base64')}`);
    // The server echoed the credentials: the run record must not keep them.
    expect(JSON.stringify(last.output)).not.toContain(Buffer.from('svc:conn-pass-123').toString('base64'));
  });
});

describe('Idempotency-Key', () => {
  it('sends the same key on every retry of a step', async () => {
    let calls = 0;
    server.route('POST', '/charge', (_req, res) =>
      ++calls === 1 ? json(res, 500, { error: 'flaky' }) : json(res, 200, { charged: true }),
    );
    const { run, attempts } = await runAction(
      bench,
      `
type: http_request
method: POST
url: ${server.url}/charge
idempotency_key: true
body: { amount: 10 }
retry: { attempts: 3, delay: 10ms }`,
    );
    expect(run.status).toBe('succeeded');
    expect(attempts).toHaveLength(2);
    const keys = server.to('/charge').map((r) => r.headers['idempotency-key']);
    expect(keys).toEqual([stepIdempotencyKey(run.id, 'steps[0]'), stepIdempotencyKey(run.id, 'steps[0]')]);
  });
});
