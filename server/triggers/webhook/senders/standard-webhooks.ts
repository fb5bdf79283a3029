// Standard Webhooks (Svix and others): webhook-signature is a space-separated list of
// "v1,<base64 HMAC-SHA256>" over "<webhook-id>.<webhook-timestamp>.<raw body>", keyed
// with the base64 part of the secret after "whsec_". Svix sends the same as svix-*.
// https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
import { createHmac } from 'node:crypto';
import { anyMatches, checkSignedTime, fromBase64, header, refuse, type SignedRequest, type Verified } from './verify.js';

export const standardWebhooksCredentialHeaders = ['webhook-signature', 'svix-signature'];

const either = (req: SignedRequest, name: string) => header(req, `webhook-${name}`) ?? header(req, `svix-${name}`);

/** The key bytes of a "whsec_<base64>" secret; a secret without the prefix is taken as base64 too. */
export function standardWebhooksKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

export function verifyStandardWebhooks(req: SignedRequest, keys: string[], secretNames: string, toleranceMs: number): Verified {
  const presented = either(req, 'signature');
  const id = either(req, 'id');
  if (!presented || !id) {
    throw refuse('The webhook-id or webhook-signature header is missing: only requests signed as Standard Webhooks are accepted here.');
  }
  const timestamp = either(req, 'timestamp');
  const until = checkSignedTime(timestamp, 'webhook-timestamp', req, toleranceMs);
  const signatures = presented
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => fromBase64(s.slice(3)))
    .filter((s): s is Buffer => s !== null);
  const message = Buffer.concat([Buffer.from(`${id}.${timestamp!.trim()}.`), req.rawBody]);
  const expected = keys.map((key) => createHmac('sha256', standardWebhooksKey(key)).update(message).digest());
  if (!anyMatches(expected, signatures)) {
    throw refuse(
      `No v1 signature in webhook-signature matches the body: check that ${secretNames} holds the endpoint's signing secret (whsec_...), and that nothing changes the body on the way.`,
    );
  }
  return { deliveryId: id, replay: { signature: presented, until } };
}
