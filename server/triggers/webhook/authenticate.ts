// Who may start a webhook run. `api_key`: a KhaosFlow API key with the webhook scope
// (only its hash is stored; verifyApiKey compares in constant time). `hmac`: an HMAC
// over `<timestamp>.<raw body>` so that a captured request cannot be replayed after
// the tolerance window, with several keys accepted during a rotation. `none`: anyone.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { verifyApiKey } from '../../api-keys/verify.js';
import { HttpError } from '../../core/http-error.js';
import type { Services } from '../../services.js';
import type { WebhookTrigger } from '../../workflow/types.js';

type Authentication = WebhookTrigger['authentication'];

export interface WebhookRequest {
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  now: Date;
}

function header(req: WebhookRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Headers that carry credentials: never copied into trigger.headers (runs are readable by anyone with read access). */
export function credentialHeaders(auth: Authentication): string[] {
  const always = ['authorization', 'proxy-authorization', 'cookie'];
  if (auth.type === 'api_key') return [...always, auth.header.toLowerCase()];
  if (auth.type === 'hmac') return [...always, auth.header.toLowerCase(), auth.timestamp_header.toLowerCase()];
  return always;
}

/**
 * Throws HttpError 401/403 when the request may not start a run of `slug`, 500 when the
 * webhook is configured with a secret that does not exist.
 */
export async function authenticateWebhook(services: Services, slug: string, auth: Authentication, req: WebhookRequest): Promise<void> {
  if (auth.type === 'none') return;
  if (auth.type === 'api_key') {
    const presented = header(req, auth.header) ?? header(req, 'authorization');
    const check = await verifyApiKey(services.db, presented, { workflowSlug: slug, scope: 'webhook' });
    if (check.ok) return;
    const message =
      check.reason === 'malformed'
        ? `Send an API key with the webhook scope in the ${auth.header} header (create one with \`khaosflow keys create --workflow ${slug}\`).`
        : check.message;
    const status = check.reason === 'scope' || check.reason === 'workflow' ? 403 : 401;
    throw new HttpError(status, 'unauthorized', message);
  }
  await verifyHmac(services, auth, req);
}

async function verifyHmac(services: Services, auth: Extract<Authentication, { type: 'hmac' }>, req: WebhookRequest): Promise<void> {
  const refuse = (message: string) => new HttpError(401, 'invalid_signature', message);
  const tsHeader = auth.timestamp_header;
  const toleranceS = auth.tolerance / 1000;
  const how = `sign "<unix seconds>.<raw body>" with HMAC-${auth.algorithm.toUpperCase()} and send the hex digest in ${auth.header} and the time in ${tsHeader}`;
  const signatureHeader = header(req, auth.header);
  if (!signatureHeader) throw refuse(`The ${auth.header} header is missing: ${how}.`);
  const timestamp = header(req, tsHeader);
  if (!timestamp || !/^\d{1,12}$/.test(timestamp.trim())) throw refuse(`The ${tsHeader} header is missing or not Unix seconds: ${how}.`);
  const skew = Math.abs(req.now.getTime() / 1000 - Number(timestamp));
  if (skew > toleranceS) {
    throw refuse(
      `The signed time in ${tsHeader} is ${Math.round(skew)} s away from the server's clock (at most ${toleranceS} s): sign each request when sending it.`,
    );
  }

  // Every named secret is accepted (rotation: `secrets: [new, old]`); a secret may also
  // hold several keys, one per line.
  const names = [...(auth.secrets ?? []), ...(auth.secret ? [auth.secret] : [])];
  const keys: string[] = [];
  for (const name of names) {
    const stored = await services.secrets.get(name);
    if (stored === undefined) {
      throw new HttpError(
        500,
        'webhook_misconfigured',
        `This webhook verifies signatures with the secret "${name}", which does not exist; set it with \`khaosflow secrets set ${name}\`.`,
      );
    }
    keys.push(
      ...stored
        .split(/\r?\n/)
        .map((k) => k.trim())
        .filter(Boolean),
    );
  }
  const message = Buffer.concat([Buffer.from(`${timestamp.trim()}.`, 'utf8'), req.rawBody]);
  const expected = keys.map((key) => createHmac(auth.algorithm, key).update(message).digest());
  // Senders rotating their own key may send several signatures, separated by commas or spaces.
  for (const candidate of signatureHeader.split(/[\s,]+/).filter(Boolean)) {
    const digest = decodeSignature(candidate, auth);
    if (digest && expected.some((e) => e.length === digest.length && timingSafeEqual(e, digest))) return;
  }
  throw refuse(`The signature in ${auth.header} does not match: ${how}, using the secret "${auth.secret}".`);
}

function decodeSignature(candidate: string, auth: Extract<Authentication, { type: 'hmac' }>): Buffer | null {
  let hex = candidate;
  if (auth.prefix !== undefined) {
    if (!hex.startsWith(auth.prefix)) return null;
    hex = hex.slice(auth.prefix.length);
  } else {
    hex = hex.replace(new RegExp(`^${auth.algorithm}=`, 'i'), '');
  }
  return /^[0-9a-f]+$/i.test(hex) && hex.length % 2 === 0 ? Buffer.from(hex, 'hex') : null;
}
