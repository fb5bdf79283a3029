// `type: hmac`: KhaosFlow's own signature for senders that let you choose. `message`
// says what is signed ({timestamp}, {method}, {path}, {query}, {body}); the default
// "{timestamp}.{body}" is kept for hooks written before method, path and query could
// be signed; new hooks are advised to sign "{timestamp}.{method}.{path}.{query}.{body}"
// so a signed request cannot be replayed against another path or query. With
// {timestamp} the time must be within `tolerance`, and each signature is accepted once.
import { createHmac } from 'node:crypto';
import type { WebhookTrigger } from '../../../workflow/types.js';
import { anyMatches, checkSignedTime, fromBase64, fromHex, header, refuse, type SignedRequest, type Verified } from './verify.js';

export type HmacAuthentication = Extract<WebhookTrigger['authentication'], { type: 'hmac' }>;

export function hmacCredentialHeaders(auth: HmacAuthentication): string[] {
  return [auth.header.toLowerCase()];
}

/** The bytes signed for this request: the body stays raw bytes, the rest is UTF-8 text. */
export function signedMessage(template: string, req: SignedRequest, timestamp: string): Buffer {
  const parts: Buffer[] = [];
  for (const piece of template.split(/(\{(?:timestamp|body|method|path|query)\})/)) {
    if (piece === '{body}') parts.push(req.rawBody);
    else if (piece === '{timestamp}') parts.push(Buffer.from(timestamp));
    else if (piece === '{method}') parts.push(Buffer.from(req.method.toUpperCase()));
    else if (piece === '{path}') parts.push(Buffer.from(req.path));
    else if (piece === '{query}') parts.push(Buffer.from(req.query));
    else parts.push(Buffer.from(piece));
  }
  return Buffer.concat(parts);
}

function decode(candidate: string, auth: HmacAuthentication): Buffer | null {
  let digest = candidate;
  if (auth.prefix !== undefined) {
    if (!digest.startsWith(auth.prefix)) return null;
    digest = digest.slice(auth.prefix.length);
  } else {
    digest = digest.replace(new RegExp(`^${auth.algorithm}=`, 'i'), '');
  }
  return auth.encoding === 'base64' ? fromBase64(digest) : fromHex(digest);
}

export function verifyHmac(req: SignedRequest, keys: string[], secretNames: string, auth: HmacAuthentication): Verified {
  const signsTime = auth.message.includes('{timestamp}');
  const layout = auth.message.replace('{timestamp}', '<unix seconds>').replace('{body}', '<raw body>');
  const how =
    `sign "${layout}" with HMAC-${auth.algorithm.toUpperCase()} and send the ${auth.encoding} digest in ${auth.header}` +
    (signsTime ? ` and the time in ${auth.timestamp_header}` : '');
  const presented = header(req, auth.header);
  if (!presented) throw refuse(`The ${auth.header} header is missing: ${how}.`);
  let timestamp = '';
  let until: Date | undefined;
  if (signsTime) {
    timestamp = header(req, auth.timestamp_header)?.trim() ?? '';
    until = checkSignedTime(timestamp, `the ${auth.timestamp_header} header`, req, auth.tolerance);
  }
  const message = signedMessage(auth.message, req, timestamp);
  const expected = keys.map((key) => createHmac(auth.algorithm, key).update(message).digest());
  // Senders rotating their own key may send several signatures, separated by commas or spaces.
  const digests = presented
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((candidate) => decode(candidate, auth))
    .filter((d): d is Buffer => d !== null);
  if (!anyMatches(expected, digests)) throw refuse(`The signature in ${auth.header} does not match: ${how}, using ${secretNames}.`);
  return until ? { replay: { signature: presented, until } } : {};
}
