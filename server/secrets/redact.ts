// Removes secret values from whatever a run records or returns: step inputs, outputs,
// logs, errors, API responses. Each value is matched as written and in the forms it
// travels in: base64 and base64url (also inside a longer base64 text such as a Basic
// auth header), URL-encoded, and JSON-escaped. All forms of all values are folded
// into one regular expression, built on first use after a change, so a string is
// scanned once however many secrets a run has. Credentials written into URLs
// (`?api_key=...`) are redacted too, though no one declared them (url-parameters.ts).
import { redactUrlParameters } from './url-parameters.js';

export const REDACTED = '***';
/** Shorter values are left alone: redacting "on" or "1" would destroy ordinary data. */
export const MIN_SECRET_LENGTH = 4;
/** Base64 fragments shorter than this (from short secrets) would match by chance. */
const MIN_FRAGMENT_LENGTH = 6;

export interface Redactor {
  /** Registers one more value (a secret met at run time, a connection password). */
  add(value: string): void;
  /** A deep copy of `value` with every secret in its strings replaced by `***`; keys untouched. */
  redact<T>(value: T): T;
  redactText(text: string): string;
  /** How many distinct values are registered (short ones are not). */
  readonly size: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The base64 text of `bytes` as it appears when the bytes sit at offset 0, 1 or 2 of
 * a longer encoded text (`user:password` in a Basic header): only the characters
 * made purely of these bytes, so a match never depends on its neighbours.
 */
function base64Fragments(bytes: Buffer): string[] {
  const out: string[] = [];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const first = Math.ceil((offset * 8) / 6);
    const last = Math.floor(((offset + bytes.length) * 8) / 6); // exclusive
    const fragment = encoded.slice(first, last);
    if (fragment.length >= MIN_FRAGMENT_LENGTH) out.push(fragment);
  }
  return out;
}

/** Every form of `value` worth matching. */
export function secretForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms = new Set<string>([value]);
  const base64 = bytes.toString('base64');
  forms.add(base64);
  forms.add(base64.replace(/=+$/, ''));
  forms.add(bytes.toString('base64url'));
  for (const fragment of base64Fragments(bytes)) {
    forms.add(fragment);
    forms.add(fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  const uriEncoded = encodeURIComponent(value);
  forms.add(uriEncoded);
  forms.add(uriEncoded.replace(/%20/g, '+'));
  forms.add(uriEncoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  forms.add(new URLSearchParams({ v: value }).toString().slice(2)); // form encoding: also escapes ! ' ( ) ~
  forms.add(JSON.stringify(value).slice(1, -1));
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/**
 * @example
 *   const redactor = createRedactor([apiToken]);
 *   redactor.redact({ headers: { authorization: `Bearer ${apiToken}` } }) // { headers: { authorization: 'Bearer ***' } }
 */
export function createRedactor(values: Iterable<string> = []): Redactor {
  const secrets = new Set<string>();
  let matcher: RegExp | null = null;

  function pattern(): RegExp | null {
    if (secrets.size === 0) return null;
    if (!matcher) {
      const forms = new Set<string>();
      for (const value of secrets) for (const form of secretForms(value)) forms.add(form);
      // Longest first, so a value is replaced whole rather than a shorter form inside it.
      const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
      matcher = new RegExp(alternatives.join('|'), 'g');
    }
    return matcher;
  }

  function redactText(text: string): string {
    const re = pattern();
    if (!re || text.length < MIN_SECRET_LENGTH) return redactUrlParameters(text, REDACTED);
    re.lastIndex = 0;
    return redactUrlParameters(re.test(text) ? text.replace(re, REDACTED) : text, REDACTED);
  }

  function walk(value: unknown, seen: WeakMap<object, unknown>): unknown {
    if (typeof value === 'string') return redactText(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return seen.get(value);
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      seen.set(value, copy);
      for (const item of value) copy.push(walk(item, seen));
      return copy;
    }
    if (value instanceof Error) {
      // Same prototype (instanceof still holds) without calling a constructor whose
      // parameters we do not know.
      const copy = Object.create(Object.getPrototypeOf(value)) as Error & Record<string, unknown>;
      seen.set(value, copy);
      const hidden = { writable: true, configurable: true, enumerable: false };
      Object.defineProperty(copy, 'message', { ...hidden, value: redactText(value.message) });
      if (value.stack !== undefined) Object.defineProperty(copy, 'stack', { ...hidden, value: redactText(value.stack) });
      if ('cause' in value) Object.defineProperty(copy, 'cause', { ...hidden, value: walk(value.cause, seen) });
      for (const [key, item] of Object.entries(value)) copy[key] = walk(item, seen);
      return copy;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value; // Dates, Buffers, class instances: not JSON data.
    const copy: Record<string, unknown> = {};
    seen.set(value, copy);
    for (const [key, item] of Object.entries(value)) copy[key] = walk(item, seen);
    return copy;
  }

  const redactor: Redactor = {
    add(value) {
      if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
      secrets.add(value);
      matcher = null;
    },
    redact<T>(value: T): T {
      return walk(value, new WeakMap()) as T;
    },
    redactText,
    get size() {
      return secrets.size;
    },
  };
  for (const value of values) redactor.add(value);
  return redactor;
}
