// AES-256-GCM with a random 96-bit IV per value. The additional authenticated data
// (AAD) names what the ciphertext belongs to, so a value copied onto another row,
// or relabelled with another key id, fails authentication instead of decrypting.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface Sealed {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
  key_id: string;
}

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/** AAD of a named secret: `secret:<name>:<key_id>`. */
export const secretAad = (name: string, keyId: string) => `secret:${name}:${keyId}`;
/** AAD of a key's check value. */
export const keyCheckAad = (keyId: string) => `key-check:${keyId}`;
/** AAD of a key stored encrypted with another key during a rotation. */
export const wrappedKeyAad = (keyId: string, wrappedBy: string) => `wrapped-key:${keyId}:${wrappedBy}`;

export function seal(key: Buffer, keyId: string, plaintext: Buffer | string, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([
    cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext),
    cipher.final(),
  ]);
  return { ciphertext, iv, tag: cipher.getAuthTag(), key_id: keyId };
}

/** Throws DecryptionError when the key, the AAD or any byte of the value is wrong. */
export function open(key: Buffer, sealed: Omit<Sealed, 'key_id'>, aad: string): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    throw new DecryptionError(`the value does not authenticate (${aad.split(':')[0]})`);
  }
}
