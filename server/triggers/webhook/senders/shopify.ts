// Shopify: X-Shopify-Hmac-Sha256 is base64 HMAC-SHA256(secret, raw body); no time is
// signed; X-Shopify-Webhook-Id identifies the delivery (kept on retries).
// https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify
import { createHmac } from 'node:crypto';
import { anyMatches, fromBase64, header, refuse, type SignedRequest, type Verified } from './verify.js';

export const shopifyCredentialHeaders = ['x-shopify-hmac-sha256'];

export function verifyShopify(req: SignedRequest, keys: string[], secretNames: string): Verified {
  const presented = header(req, 'x-shopify-hmac-sha256');
  if (!presented) throw refuse('The X-Shopify-Hmac-Sha256 header is missing: only requests sent by Shopify webhooks are accepted here.');
  const digest = fromBase64(presented.trim());
  const expected = keys.map((key) => createHmac('sha256', key).update(req.rawBody).digest());
  if (!digest || !anyMatches(expected, [digest])) {
    throw refuse(
      `The signature in X-Shopify-Hmac-Sha256 does not match the body: check that ${secretNames} holds the app's client secret (or the key shown under Settings > Notifications > Webhooks), and that nothing changes the body on the way.`,
    );
  }
  const deliveryId = header(req, 'x-shopify-webhook-id');
  return deliveryId ? { deliveryId } : {};
}
