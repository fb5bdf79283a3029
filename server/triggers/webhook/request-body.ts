// What a webhook accepts as a body, decided from Content-Type before a byte is read:
// JSON, form fields, plain text and XML (kept as text); anything else is refused with
// 415 instead of being stored as something a workflow cannot read.
import { HttpError } from '../../core/http-error.js';

export type BodyKind = 'json' | 'form' | 'text' | 'xml';

/** JSON nested deeper than this is refused (400): nobody sends it on purpose, and deep values are costly to store and evaluate. */
export const MAX_JSON_DEPTH = 64;

const ACCEPTED = 'application/json, application/x-www-form-urlencoded, text/plain, application/xml or text/xml';

/** The body kind for a Content-Type header, or throws 415. */
export function bodyKind(contentType: string | undefined): BodyKind {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'text/plain') return 'text';
  if (type === 'application/xml' || type === 'text/xml' || /^application\/[a-z0-9.+-]+\+xml$/.test(type)) return 'xml';
  throw new HttpError(
    415,
    'unsupported_media_type',
    type === ''
      ? `The request has a body but no Content-Type; send it as ${ACCEPTED}.`
      : `Content-Type ${type} is not accepted by webhooks; send ${ACCEPTED}.`,
  );
}

/** Nesting depth of a JSON text, counted without parsing (strings skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** Form fields as an object; a field given several times becomes a list. */
function formFields(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const seen = out[key];
    out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

export function parseBody(raw: Buffer, kind: BodyKind): unknown {
  const text = raw.toString('utf8');
  switch (kind) {
    case 'json': {
      if (jsonDepth(text) > MAX_JSON_DEPTH)
        throw new HttpError(400, 'bad_json', `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        throw new HttpError(400, 'bad_json', `The body is not valid JSON: ${(err as Error).message}`);
      }
    }
    case 'form':
      return formFields(text);
    case 'text':
    case 'xml':
      return text;
  }
}

/** Query parameters the same way as form fields. */
export function queryFields(search: string): Record<string, string | string[]> {
  return formFields(search.startsWith('?') ? search.slice(1) : search);
}
