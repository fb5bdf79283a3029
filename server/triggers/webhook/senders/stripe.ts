// Stripe: Stripe-Signature is "t=<unix>,v1=<hex>[,v1=<hex>...][,v0=...]", each v1 an
// HMAC-SHA256 of "<t>.<raw body>" keyed with the whole signing secret (whsec_... as
// text). Several v1 while Stripe rolls the secret. The event id (body "id") identifies
// the delivery: retries carry the same event.
// https://docs.stripe.com/webhooks#verify-manually
import { createHmac } from 'node:crypto';
import { anyMatches, checkSignedTime, fromHex, header, jsonField, refuse, type SignedRequest, type Verified } from './verify.js';

export const stripeCredentialHeaders = ['stripe-signature'];

export function verifyStripe(req: SignedRequest, keys: string[], secretNames: string, toleranceMs: number): Verified {
  const presented = header(req, 'stripe-signature');
  if (!presented)
    throw refuse('The Stripe-Signature header is missing: only requests sent by a Stripe webhook endpoint are accepted here.');
  const parts = presented.split(',').map((part) => part.trim().split('=', 2) as [string, string | undefined]);
  const timestamp = parts.find(([k]) => k === 't')?.[1];
  const signatures = parts.filter(([k, v]) => k === 'v1' && v).map(([, v]) => fromHex(v!));
  const until = checkSignedTime(timestamp, 'Stripe-Signature (t=)', req, toleranceMs);
  if (signatures.length === 0)
    throw refuse('Stripe-Signature has no v1 signature: only requests sent by a Stripe webhook endpoint are accepted here.');
  const message = Buffer.concat([Buffer.from(`${timestamp!.trim()}.`), req.rawBody]);
  const expected = keys.map((key) => createHmac('sha256', key).update(message).digest());
  if (
    !anyMatches(
      expected,
      signatures.filter((s): s is Buffer => s !== null),
    )
  ) {
    throw refuse(
      `No v1 signature in Stripe-Signature matches the body: check that ${secretNames} holds this endpoint's signing secret (whsec_..., each endpoint has its own), and that nothing changes the body on the way.`,
    );
  }
  const deliveryId = jsonField(req.rawBody, 'id');
  return { ...(deliveryId ? { deliveryId } : {}), replay: { signature: presented, until } };
}
