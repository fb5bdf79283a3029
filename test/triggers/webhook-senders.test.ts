// Webhooks signed the way real senders sign them (issue 19): each sender's published
// example, then through the real HTTP server a signed request (202), the same with one
// byte of the body changed (401 naming what to check), an hour-old signed time (401)
// and a redelivery with the same delivery id (the first run again).
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyGithub } from '../../server/triggers/webhook/senders/github.js';
import { verifySlack } from '../../server/triggers/webhook/senders/slack.js';
import { verifyStandardWebhooks } from '../../server/triggers/webhook/senders/standard-webhooks.js';
import type { SignedRequest } from '../../server/triggers/webhook/senders/verify.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { applyYaml, runsOf, tempDir } from './helpers.js';

const request = (headers: Record<string, string>, body: string, now = new Date()): SignedRequest => ({
  headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
  rawBody: Buffer.from(body),
  now,
  method: 'POST',
  path: '/hooks/x',
  query: '',
});

describe("the senders' published examples", () => {
  it('GitHub: "Hello, World!" signed with "It\'s a Secret to Everybody"', () => {
    const req = request(
      { 'X-Hub-Signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17', 'X-GitHub-Delivery': 'd-1' },
      'Hello, World!',
    );
    expect(verifyGithub(req, ["It's a Secret to Everybody"], 'the secret "gh"')).toEqual({ deliveryId: 'd-1' });
    expect(() =>
      verifyGithub(request(req.headers as Record<string, string>, 'Hello, World?'), ["It's a Secret to Everybody"], 's'),
    ).toThrow(/X-Hub-Signature-256 does not match/);
  });

  it("Slack: the slash command example from 'Verifying requests from Slack'", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const headers = {
      'X-Slack-Request-Timestamp': '1531420618',
      'X-Slack-Signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    };
    const then = new Date(1531420618_000 + 10_000);
    expect(verifySlack(request(headers, body, then), ['8f742231b10e8888abcd99yyyzzz85a5'], 's', 300_000).replay).toBeDefined();
    // The same request an hour later is stale.
    expect(() =>
      verifySlack(request(headers, body, new Date(then.getTime() + 3_600_000)), ['8f742231b10e8888abcd99yyyzzz85a5'], 's', 300_000),
    ).toThrow(/away from the server's clock/);
  });

  it('Standard Webhooks: the example of the reference libraries (whsec_ key, v1 signature)', () => {
    const headers = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,not-this-one v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    const verified = verifyStandardWebhooks(
      request(headers, '{"test": 2432232314}', new Date(1614265330_000)),
      ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      's',
      300_000,
    );
    expect(verified.deliveryId).toBe('msg_p5jXN8AQM9LWM0D4loKWxJek');
  });
});

let tdb: TestDatabase;
let node: TestNode;
let other: TestNode;
beforeAll(async () => {
  tdb = await createTestDatabase();
  const home = tempDir('kf-senders-');
  node = await startTestNode({ databaseUrl: tdb.url, http: true, worker: false, singletons: false, env: { KHAOSFLOW_HOME: home } });
  // A second process on the same database: replays are refused across processes.
  other = await startTestNode({ databaseUrl: tdb.url, http: true, worker: false, singletons: false, env: { KHAOSFLOW_HOME: home } });
  for (const type of ['github', 'stripe', 'shopify', 'slack', 'standard_webhooks']) {
    await applyYaml(
      tdb.db,
      `name: From ${type}\ntrigger:\n  type: webhook\n  path: /${type}\n  authentication: { type: ${type}, secret: ${type}_secret }\n`,
    );
  }
  await node.services.vault.secrets.set('github_secret', 'gh-key');
  await node.services.vault.secrets.set('stripe_secret', 'whsec_stripe-key');
  await node.services.vault.secrets.set('shopify_secret', 'shop-key');
  await node.services.vault.secrets.set('slack_secret', 'slack-key');
  await node.services.vault.secrets.set('standard_webhooks_secret', `whsec_${Buffer.from('standard-key-bytes').toString('base64')}`);
});
afterAll(async () => {
  await other?.stop();
  await node?.stop();
  await tdb?.drop();
});

const hmacHex = (key: string | Buffer, message: string) => createHmac('sha256', key).update(message).digest('hex');
const hmacB64 = (key: string | Buffer, message: string) => createHmac('sha256', key).update(message).digest('base64');
const nowS = () => Math.floor(Date.now() / 1000);

interface Sender {
  type: string;
  /** Headers a sender would send for `body` signed at `ts`, as delivery `id`. */
  sign(body: string, ts: number, id: string): Record<string, string>;
  body(id: string): string;
  signsTime: boolean;
  /** What the 401 for a changed body must name. */
  check: RegExp;
}

const senders: Sender[] = [
  {
    type: 'github',
    sign: (body, _ts, id) => ({ 'X-Hub-Signature-256': `sha256=${hmacHex('gh-key', body)}`, 'X-GitHub-Delivery': id }),
    body: () => JSON.stringify({ action: 'opened', number: 1 }),
    signsTime: false,
    check: /X-Hub-Signature-256 does not match.*the secret "github_secret"/,
  },
  {
    type: 'stripe',
    sign: (body, ts) => ({
      'Stripe-Signature': `t=${ts},v1=${hmacHex('whsec_other', `${ts}.${body}`)},v1=${hmacHex('whsec_stripe-key', `${ts}.${body}`)},v0=00`,
    }),
    body: (id) => JSON.stringify({ id, object: 'event', type: 'invoice.paid' }),
    signsTime: true,
    check: /Stripe-Signature matches.*signing secret/,
  },
  {
    type: 'shopify',
    sign: (body, _ts, id) => ({ 'X-Shopify-Hmac-Sha256': hmacB64('shop-key', body), 'X-Shopify-Webhook-Id': id }),
    body: () => JSON.stringify({ id: 820982911946154500, email: 'jon@example.com' }),
    signsTime: false,
    check: /X-Shopify-Hmac-Sha256 does not match.*client secret/,
  },
  {
    type: 'slack',
    sign: (body, ts) => ({
      'X-Slack-Signature': `v0=${hmacHex('slack-key', `v0:${ts}:${body}`)}`,
      'X-Slack-Request-Timestamp': String(ts),
    }),
    body: (id) => JSON.stringify({ type: 'event_callback', event_id: id, event: { type: 'message', text: 'hi' } }),
    signsTime: true,
    check: /X-Slack-Signature does not match.*Signing Secret/,
  },
  {
    type: 'standard_webhooks',
    sign: (body, ts, id) => ({
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': `v1,${hmacB64(Buffer.from('standard-key-bytes'), `${id}.${ts}.${body}`)}`,
    }),
    body: () => JSON.stringify({ type: 'invoice.paid', data: { amount: 1 } }),
    signsTime: true,
    check: /webhook-signature matches.*signing secret/,
  },
];

const send = (base: string, path: string, body: string, headers: Record<string, string>) =>
  fetch(`${base}/hooks/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe.each(senders)('authentication type $type', (sender) => {
  it('accepts a request signed as the sender signs it, and starts one run per delivery id', async () => {
    const id = `evt_${randomUUID()}`;
    const body = sender.body(id);
    const first = await send(node.baseUrl, sender.type, body, sender.sign(body, nowS(), id));
    expect(first.status, JSON.stringify(await first.clone().json())).toBe(202);
    const { run_id } = (await first.json()) as { run_id: string };
    const run = (await runsOf(tdb.db, `from-${sender.type.replace('_', '-')}`)).find((r) => r.id === run_id)!;
    expect(run.dedupe_key).toBe(`webhook:delivery:${id}`);
    // No credential header reaches the run.
    for (const name of Object.keys(sender.sign(body, 0, id)).map((h) => h.toLowerCase())) {
      if (/signature|hmac/.test(name)) expect(run.trigger_data.headers).not.toHaveProperty(name);
    }
    // The sender redelivers (a new signature over a new time where it signs one): same run.
    const again = await send(other.baseUrl, sender.type, body, sender.sign(body, nowS() + 1, id));
    expect(again.status).toBe(202);
    expect(((await again.json()) as { run_id: string }).run_id).toBe(run_id);
    expect((await runsOf(tdb.db, `from-${sender.type.replace('_', '-')}`)).filter((r) => r.dedupe_key === run.dedupe_key)).toHaveLength(1);
  });

  it('refuses the same request with one byte of the body changed, naming what to check', async () => {
    const id = `evt_${randomUUID()}`;
    const body = sender.body(id);
    const tampered = body.replace('"', "'");
    const res = await send(node.baseUrl, sender.type, tampered, sender.sign(body, nowS(), id));
    expect(res.status).toBe(401);
    const error = await errorOf(res);
    expect(error.code).toBe('invalid_signature');
    expect(error.message).toMatch(sender.check);
  });
});

// Only senders that sign a time can refuse stale signatures and remember seen ones.
describe.each(senders.filter((sender) => sender.signsTime))('authentication type $type, signed times', (sender) => {
  it('refuses a signature an hour old', async () => {
    const id = `evt_${randomUUID()}`;
    const body = sender.body(id);
    const res = await send(node.baseUrl, sender.type, body, sender.sign(body, nowS() - 3600, id));
    expect(res.status).toBe(401);
    expect((await errorOf(res)).message).toMatch(/36\d\d s away from the server's clock/);
  });

  it('refuses the same signed request replayed inside the window, on another process too', async () => {
    const id = `evt_${randomUUID()}`;
    const body = sender.body(id);
    const headers = sender.sign(body, nowS(), id);
    expect((await send(node.baseUrl, sender.type, body, headers)).status).toBe(202);
    const replay = await send(other.baseUrl, sender.type, body, headers);
    expect(replay.status).toBe(401);
    expect((await errorOf(replay)).code).toBe('replayed_signature');
  });
});
