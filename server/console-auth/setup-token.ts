// The one-time link that creates the first (owner) account. Until a user exists the
// console would otherwise be open to whoever reaches it first; the token is derived
// from the vault's master key, so every process of the cluster prints and accepts
// the same one without storing it, and it stops working once a user exists.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function setupToken(masterKey: Buffer): string {
  return createHmac('sha256', masterKey).update('khaosflow console setup').digest('base64url').slice(0, 32);
}

export function isSetupToken(masterKey: Buffer, presented: string | null | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(setupToken(masterKey));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
