// GitHub: X-Hub-Signature-256 is "sha256=" + hex HMAC-SHA256(secret, raw body); no time is
// signed; X-GitHub-Delivery identifies the delivery (the same on a redelivery).
// https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
import { createHmac } from 'node:crypto';
import { anyMatches, fromHex, header, refuse, type SignedRequest, type Verified } from './verify.js';

export const githubCredentialHeaders = ['x-hub-signature-256', 'x-hub-signature'];

export function verifyGithub(req: SignedRequest, keys: string[], secretNames: string): Verified {
  const presented = header(req, 'x-hub-signature-256');
  if (!presented) {
    throw refuse(
      'The X-Hub-Signature-256 header is missing: in the GitHub webhook settings set a Secret (and content type application/json), then redeliver.',
    );
  }
  const digest = presented.startsWith('sha256=') ? fromHex(presented.slice('sha256='.length)) : null;
  const expected = keys.map((key) => createHmac('sha256', key).update(req.rawBody).digest());
  if (!digest || !anyMatches(expected, [digest])) {
    throw refuse(
      `The signature in X-Hub-Signature-256 does not match the body: check that ${secretNames} holds the same Secret as the GitHub webhook, and that nothing between GitHub and KhaosFlow changes the body.`,
    );
  }
  const deliveryId = header(req, 'x-github-delivery');
  return deliveryId ? { deliveryId } : {};
}
