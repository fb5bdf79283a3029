// Reads request bodies ourselves: a size limit that answers 413, the raw bytes kept
// (webhook HMAC signatures are computed over them), strict content types.
import type Koa from 'koa';
import { HttpError } from './http-error.js';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export async function readRawBody(ctx: Koa.Context, limit = DEFAULT_BODY_LIMIT): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || NaN);
  if (declared > limit) throw new HttpError(413, 'payload_too_large', `The body is ${declared} bytes; the limit is ${limit} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'payload_too_large', `The body is larger than the limit of ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A JSON body (API routes): `{}` when empty; 415 for another content type, 400 for bad JSON. */
export async function readJsonBody(ctx: Koa.Context, limit = DEFAULT_BODY_LIMIT): Promise<unknown> {
  const raw = await readRawBody(ctx, limit);
  if (raw.length === 0) return {};
  if (!ctx.is('application/json'))
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as JSON (Content-Type: application/json).');
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (err) {
    throw new HttpError(400, 'bad_json', `The body is not valid JSON: ${(err as Error).message}`);
  }
}
