// API key text: `kf_<prefix>_<secret>`. The prefix (8 characters) is stored as is and
// finds the row; the secret (32 base62 characters, ~190 bits) is only ever stored as
// a SHA-256 hash of the whole key.
//
// Why SHA-256 and not bcrypt/argon2: slow hashes protect low-entropy passwords from
// guessing. A 190-bit random secret cannot be guessed at any hashing speed, while a
// slow hash would cost ~50-100 ms of CPU on every webhook call, the hot path.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_PATTERN = /^kf_([a-z0-9]{8})_([0-9A-Za-z]{32})$/;

/** Unbiased random text over `alphabet` (rejection sampling, not `byte % n`). */
function randomText(length: number, alphabet: string): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

export interface GeneratedKey {
  /** The whole key: shown once, never stored. */
  key: string;
  prefix: string;
  hash: Buffer;
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function generateApiKey(): GeneratedKey {
  const prefix = randomText(8, ALPHABET.slice(0, 10) + ALPHABET.slice(36));
  const key = `kf_${prefix}_${randomText(32, ALPHABET)}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** The prefix of a well-formed key, else null. */
export function apiKeyPrefix(key: string): string | null {
  return KEY_PATTERN.exec(key.trim())?.[1] ?? null;
}

/** Compares in constant time, so response timing tells nothing about how much of a key matched. */
export function apiKeyMatches(key: string, storedHash: Buffer): boolean {
  const presented = hashApiKey(key.trim());
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}
