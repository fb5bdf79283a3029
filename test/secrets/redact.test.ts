import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../server/secrets/redact.js';

const secret = 'p@ss w0rd/with+chars';

describe('redaction', () => {
  it('removes a secret and its base64, base64url and URL-encoded forms from nested objects, keeping keys', () => {
    const redactor = createRedactor([secret]);
    const b64 = Buffer.from(secret).toString('base64');
    const b64url = Buffer.from(secret).toString('base64url');
    const input = {
      [secret]: 'the key stays',
      headers: { authorization: `Bearer ${secret}` },
      list: [secret, { deep: [`x=${encodeURIComponent(secret)}&y=1`] }],
      encoded: { b64, b64url, form: new URLSearchParams({ p: secret }).toString() },
      number: 42,
      nothing: null,
      flag: true,
    };
    const out = redactor.redact(input);
    expect(out).toEqual({
      [secret]: 'the key stays',
      headers: { authorization: `Bearer ${REDACTED}` },
      list: [REDACTED, { deep: [`x=${REDACTED}&y=1`] }],
      encoded: { b64: REDACTED, b64url: REDACTED, form: `p=${REDACTED}` },
      number: 42,
      nothing: null,
      flag: true,
    });
    expect(input.headers.authorization).toBe(`Bearer ${secret}`); // the input is not changed
    expect(JSON.stringify(out)).not.toContain(b64.slice(0, 12));
  });

  it('finds the secret inside a Basic auth header (base64 of user:password)', () => {
    const redactor = createRedactor(['correct-horse-battery']);
    const header = `Basic ${Buffer.from('admin:correct-horse-battery').toString('base64')}`;
    const out = redactor.redactText(header);
    expect(out).toContain(REDACTED);
    expect(Buffer.from(out.replace('Basic ', '').replace(REDACTED, ''), 'base64').toString()).not.toContain('horse');
  });

  it('redacts plain strings, JSON-escaped forms and error messages', () => {
    const redactor = createRedactor(['quote"d\\value']);
    expect(redactor.redactText(JSON.stringify({ v: 'quote"d\\value' }))).toBe(`{"v":"${REDACTED}"}`);
    const err = redactor.redact(new TypeError('login failed for quote"d\\value'));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe(`login failed for ${REDACTED}`);
    expect(err.stack).not.toContain('quote"d');
  });

  it('leaves values shorter than 4 characters alone, so ordinary data survives', () => {
    const redactor = createRedactor(['on', 'abc', '']);
    expect(redactor.size).toBe(0);
    expect(redactor.redact({ status: 'on', code: 'abc' })).toEqual({ status: 'on', code: 'abc' });
  });

  it('learns secrets met during a run', () => {
    const redactor = createRedactor();
    expect(redactor.redactText('note: s3cr3t-value')).toBe('note: s3cr3t-value');
    redactor.add('s3cr3t-value');
    expect(redactor.redactText('note: s3cr3t-value')).toBe(`note: ${REDACTED}`);
  });

  it('replaces the longest match, so one secret inside another is not left half-visible', () => {
    const redactor = createRedactor(['abcd', 'abcdefgh']);
    expect(redactor.redactText('xx abcdefgh yy abcd')).toBe(`xx ${REDACTED} yy ${REDACTED}`);
  });

  it('handles cycles and leaves non-JSON objects untouched', () => {
    const redactor = createRedactor(['secret-value']);
    const node: Record<string, unknown> = { name: 'secret-value' };
    node.self = node;
    const date = new Date(0);
    const out = redactor.redact({ node, date }) as { node: Record<string, unknown>; date: Date };
    expect(out.node.name).toBe(REDACTED);
    expect(out.node.self).toBe(out.node);
    expect(out.date).toBe(date);
  });

  it('is fast with many secrets: one scan per string', () => {
    const redactor = createRedactor(Array.from({ length: 200 }, (_, i) => `secret-number-${i}-${'x'.repeat(10)}`));
    const payload = {
      rows: Array.from({ length: 2000 }, (_, i) => ({ id: i, text: `row ${i} with ordinary text and no secrets at all` })),
    };
    redactor.redact(payload); // builds the matcher
    const started = performance.now();
    redactor.redact(payload);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
