// Password hashing and cookie parsing: no database needed (the throttle: throttle.test.ts).
import { describe, expect, it } from 'vitest';
import { readCookie, sessionCookie } from '../../server/console-auth/cookie.js';
import { DUMMY_HASH, hashPassword, passwordProblem, verifyPassword } from '../../server/console-auth/passwords.js';

describe('console passwords', () => {
  it('round-trip through scrypt and refuse a wrong password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('are stored as scrypt$N$r$p$salt$hash with a fresh salt each time', async () => {
    const a = await hashPassword('the same password');
    const b = await hashPassword('the same password');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    expect(a).not.toContain('the same password');
    expect(await verifyPassword('the same password', b)).toBe(true);
  });

  it('compare NFKC-normalised, so one password typed two Unicode ways is the same', async () => {
    // U+FB01 (the "fi" ligature) and full-width letters normalise to plain ASCII under NFKC.
    const hash = await hashPassword('\uFB01ne-Ｐａｓｓ-word');
    expect(await verifyPassword('fine-Pass-word', hash)).toBe(true);
    // A precomposed é and e + combining acute are one character under NFKC too.
    const accented = await hashPassword('caf\u00e9-au-lait');
    expect(await verifyPassword('cafe\u0301-au-lait', accented)).toBe(true);
    expect(await verifyPassword('cafe-au-lait', accented)).toBe(false);
  });

  it('match nothing against the dummy hash used for unknown emails', async () => {
    expect(await verifyPassword('', DUMMY_HASH)).toBe(false);
    expect(await verifyPassword('anything at all', DUMMY_HASH)).toBe(false);
    expect(await verifyPassword('whatever-pass', 'plain-text-not-a-hash')).toBe(false);
  });

  it('need 10 to 1024 characters', () => {
    expect(passwordProblem('123456789')).toBe('A password needs at least 10 characters.');
    expect(passwordProblem('1234567890')).toBeNull();
    expect(passwordProblem('x'.repeat(1025))).toBe('A password may have at most 1024 characters.');
  });
});

describe('session cookie', () => {
  it('is read back by name and a malformed value reads as no session', () => {
    const cookie = sessionCookie('abc_DEF-123', 60, false);
    const pair = cookie.split(';')[0]!;
    expect(readCookie(`theme=dark; ${pair}; other=1`)).toBe('abc_DEF-123');
    expect(readCookie('theme=dark')).toBeUndefined();
    expect(readCookie('kf_session=%E0%A4%A')).toBeUndefined();
    expect(readCookie(undefined)).toBeUndefined();
  });
});
