// What every signature check shares: the request as signed, the result, constant-time
// comparison, the signed-time window and the 401 that says what to check.
import { timingSafeEqual } from 'node:crypto';
import { HttpError } from '../../../core/http-error.js';

export interface SignedRequest {
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  now: Date;
  method: string;
  /** Path as requested, e.g. /hooks/orders. */
  path: string;
  /** Raw query string without "?". */
  query: string;
}

/** What a verified request tells about itself. */
export interface Verified {
  /** The sender's id for this delivery: a redelivery with the same id starts no second run. */
  deliveryId?: string;
  /** Set when a time was signed: the signature is remembered until then, so a replay is refused. */
  replay?: { signature: string; until: Date };
}

export function header(req: SignedRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function refuse(message: string): HttpError {
  return new HttpError(401, 'invalid_signature', message);
}

/** True when one of the presented digests equals one of the expected ones (constant time per pair). */
export function anyMatches(expected: Buffer[], presented: Buffer[]): boolean {
  let found = false;
  for (const p of presented) for (const e of expected) if (e.length === p.length && timingSafeEqual(e, p)) found = true;
  return found;
}

export function fromHex(text: string): Buffer | null {
  return /^[0-9a-f]+$/i.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : null;
}

export function fromBase64(text: string): Buffer | null {
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : null;
}

/**
 * Checks a signed Unix time (seconds) against the clock; returns the moment until which
 * the signature would be accepted (the replay window).
 */
export function checkSignedTime(seconds: string | undefined, where: string, req: SignedRequest, toleranceMs: number): Date {
  if (!seconds || !/^\d{1,12}$/.test(seconds.trim())) throw refuse(`${where} is missing or not a Unix time in seconds.`);
  const signedMs = Number(seconds.trim()) * 1000;
  const skewMs = Math.abs(req.now.getTime() - signedMs);
  if (skewMs > toleranceMs) {
    throw refuse(
      `The signed time in ${where} is ${Math.round(skewMs / 1000)} s away from the server's clock (at most ${toleranceMs / 1000} s): ` +
        "the request is stale or replayed, or the server's clock is wrong.",
    );
  }
  return new Date(signedMs + toleranceMs);
}

/** A top-level string field of a JSON body (Stripe's event id, Slack's event_id), if there is one. */
export function jsonField(rawBody: Buffer, field: string): string | undefined {
  try {
    const value = (JSON.parse(rawBody.toString('utf8')) as Record<string, unknown> | null)?.[field];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}
