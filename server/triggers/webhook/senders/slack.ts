// Slack: X-Slack-Signature is "v0=" + hex HMAC-SHA256(signing secret,
// "v0:<X-Slack-Request-Timestamp>:<raw body>"); requests older than 5 minutes are refused.
// Events API bodies carry an event_id, kept on Slack's retries.
// https://api.slack.com/authentication/verifying-requests-from-slack
import { createHmac } from 'node:crypto';
import { anyMatches, checkSignedTime, fromHex, header, jsonField, refuse, type SignedRequest, type Verified } from './verify.js';

export const slackCredentialHeaders = ['x-slack-signature'];

export function verifySlack(req: SignedRequest, keys: string[], secretNames: string, toleranceMs: number): Verified {
  const presented = header(req, 'x-slack-signature');
  if (!presented) throw refuse('The X-Slack-Signature header is missing: only requests sent by a Slack app are accepted here.');
  const timestamp = header(req, 'x-slack-request-timestamp');
  const until = checkSignedTime(timestamp, 'X-Slack-Request-Timestamp', req, toleranceMs);
  const digest = presented.startsWith('v0=') ? fromHex(presented.slice(3)) : null;
  const message = Buffer.concat([Buffer.from(`v0:${timestamp!.trim()}:`), req.rawBody]);
  const expected = keys.map((key) => createHmac('sha256', key).update(message).digest());
  if (!digest || !anyMatches(expected, [digest])) {
    throw refuse(
      `The signature in X-Slack-Signature does not match the body: check that ${secretNames} holds the app's Signing Secret (not its token or client secret), and that nothing changes the body on the way.`,
    );
  }
  const deliveryId = jsonField(req.rawBody, 'event_id');
  return { ...(deliveryId ? { deliveryId } : {}), replay: { signature: presented, until } };
}
