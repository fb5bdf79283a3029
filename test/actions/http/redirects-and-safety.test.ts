import type { LookupAddress } from 'node:dns';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guardedLookup } from '../../../server/net/guarded-lookup.js';
import { parseIp } from '../../../server/net/ip-address.js';
import { metadataReason, outboundPolicyFromEnv } from '../../../server/net/outbound-policy.js';
import { startBench, type Bench } from '../../helpers/engine.js';
import { json, startHttpServer, type TestHttpServer } from './http-server.js';
import { errorOf, logsOf, runAction } from './step.js';

let bench: Bench;
let server: TestHttpServer;
let other: TestHttpServer;
beforeAll(async () => {
  [bench, server, other] = await Promise.all([startBench(), startHttpServer(), startHttpServer()]);
  server.route('GET', '/final', (req, res) => json(res, 200, { arrived: true, authorization: req.headers.authorization ?? null }));
  server.route('*', '/moved', (_req, res) => {
    res.writeHead(302, { location: '/final' });
    res.end();
  });
  server.route('POST', '/see-other', (_req, res) => {
    res.writeHead(303, { location: `${server.url}/final` });
    res.end();
  });
  server.route('GET', '/to-metadata', (_req, res) => {
    res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' });
    res.end();
  });
  server.route('GET', '/to-other', (_req, res) => {
    res.writeHead(307, { location: `${other.url}/final` });
    res.end();
  });
  other.route('GET', '/final', (req, res) =>
    json(res, 200, {
      authorization: req.headers.authorization ?? null,
      key: req.headers['x-api-key'] ?? null,
      custom: req.headers['x-shop-token'] ?? null,
      accept: req.headers.accept ?? null,
    }),
  );
});
afterAll(async () => {
  await Promise.all([server?.close(), other?.close()]);
  await bench?.stop();
});
afterEach(() => {
  delete process.env.KHAOSFLOW_HTTP_ALLOWED_HOSTS;
});

describe('redirects', () => {
  it('follows a redirect and answers with the final response', async () => {
    const { last } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/moved`,
    );
    expect(last.output).toMatchObject({ status: 200, body: { arrived: true } });
    expect(logsOf(last)).toContain(`redirected (302) from ${server.url}/moved to ${server.url}/final`);
  });

  it('continues a POST answered with 303 as a GET', async () => {
    const { last } = await runAction(
      bench,
      `
type: http_request
method: POST
url: ${server.url}/see-other
body: { a: 1 }`,
    );
    expect(last.output).toMatchObject({ status: 200, body: { arrived: true } });
    expect(server.to('/final').at(-1)!.method).toBe('GET');
  });

  it('returns the redirect itself when follow_redirects is false', async () => {
    const { last } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/moved
follow_redirects: false`,
    );
    expect(last.output).toMatchObject({ status: 302, headers: { location: '/final' } });
  });

  it('refuses a redirect to the cloud metadata address, without retrying', async () => {
    const { run, attempts, last } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/to-metadata
retry: { attempts: 3, delay: 10ms }`,
    );
    expect(run.status).toBe('failed');
    expect(attempts).toHaveLength(1);
    expect(errorOf(last)).toMatchObject({ name: 'NonRetryableError', retryable: false });
    expect(errorOf(last).message).toMatch(
      /^Refused to connect to 169\.254\.169\.254: it is a link-local address.*KHAOSFLOW_HTTP_ALLOW_METADATA=true/,
    );
  });

  it('does not carry secret-looking custom headers to another origin (issue 18, low)', async () => {
    const { last } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/to-other
headers: { X-Shop-Token: only-for-the-first-host, Accept: application/json }`,
    );
    expect(last.output).toMatchObject({ status: 200, body: { custom: null, accept: 'application/json' } });
  });

  it('does not carry credentials to another origin', async () => {
    const { last } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/to-other
auth: { type: api_key, value: only-for-the-first-host }
headers: { Authorization: "Bearer only-for-the-first-host" }`,
    );
    expect(last.output).toMatchObject({ status: 200, body: { authorization: null, key: null } });
  });
});

describe('outbound address checks', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254: it is a link-local address/],
    ['http://169.254.10.1:8080/', /169\.254\.10\.1: it is a link-local address/],
    ['http://[::ffff:169.254.169.254]/', /it is a link-local address/],
    ['http://[fd00:ec2::254]/', /it is the AWS metadata service \(IPv6\)/],
    ['http://2852039166/', /169\.254\.169\.254: it is a link-local address/],
  ])('refuses %s', async (url, message) => {
    const { run, last } = await runAction(
      bench,
      `
type: http_request
url: "${url}"`,
    );
    expect(run.status).toBe('failed');
    expect(errorOf(last).message).toMatch(message);
  });

  it('checks the address a name resolves to, at connect time', async () => {
    const policy = outboundPolicyFromEnv({});
    const fakeDns =
      (answer: string) => (_host: string, _opts: unknown, cb: (err: NodeJS.ErrnoException | null, a: LookupAddress[]) => void) =>
        cb(null, [{ address: answer, family: answer.includes(':') ? 6 : 4 }]);
    const lookup = (answer: string) =>
      new Promise<unknown>((resolve) =>
        guardedLookup(policy, fakeDns(answer))('metadata.example.test', { all: true }, (err, addresses) => resolve(err ?? addresses)),
      );
    expect(await lookup('169.254.169.254')).toMatchObject({
      message: expect.stringMatching(/^Refused to connect to 169\.254\.169\.254 \(metadata\.example\.test resolves to it\)/),
    });
    expect(await lookup('93.184.216.34')).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });

  it('knows metadata and link-local ranges in every spelling', () => {
    const reason = (ip: string) => metadataReason(parseIp(ip)!);
    expect(reason('169.254.169.254')).toMatch(/link-local/);
    expect(reason('::ffff:a9fe:a9fe')).toMatch(/link-local/);
    expect(reason('64:ff9b::a9fe:a9fe')).toMatch(/link-local/);
    expect(reason('fe80::1')).toMatch(/IPv6 link-local/);
    expect(reason('127.0.0.1')).toBeNull();
    expect(reason('10.1.2.3')).toBeNull();
    expect(reason('::1')).toBeNull();
  });

  it('allows only the hosts of KHAOSFLOW_HTTP_ALLOWED_HOSTS when set', async () => {
    server.route('GET', '/ok', (_req, res) => json(res, 200, { ok: true }));
    process.env.KHAOSFLOW_HTTP_ALLOWED_HOSTS = 'api.example.com,*.internal.example';
    const refused = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/ok`,
    );
    expect(refused.run.status).toBe('failed');
    expect(errorOf(refused.last).message).toBe(
      'Refused to connect to 127.0.0.1: it is not in KHAOSFLOW_HTTP_ALLOWED_HOSTS. Add it there (or its network as a CIDR) to allow it.',
    );
    process.env.KHAOSFLOW_HTTP_ALLOWED_HOSTS = 'api.example.com, 127.0.0.0/8';
    const allowed = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/ok`,
    );
    expect(allowed.last.output).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('refuses schemes other than http and https', async () => {
    const { last } = await runAction(
      bench,
      `
type: http_request
url: "file:///etc/passwd"`,
    );
    expect(errorOf(last).message).toMatch(/^Refused file:\/\/ URL/);
  });
});
