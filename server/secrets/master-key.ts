// The vault's master key: KHAOSFLOW_SECRET_KEY (base64 or hex of 32 bytes), else the
// key file $KHAOSFLOW_HOME/secret.key, generated once (mode 0600) when missing.
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const KEY_BYTES = 32;
export const KEY_FORMATS = '32 random bytes written as base64 (44 characters) or hex (64 characters), e.g. from `openssl rand -base64 32`';

export interface MasterKey {
  key: Buffer;
  /** Derived from the key itself, so any process can tell which key it holds without storing it. */
  keyId: string;
  source: 'env' | 'file';
  /** The key file, when the key came from (or was written to) one. */
  file?: string;
  /** True when this call created the key file. */
  generated: boolean;
}

/**
 * The id stored beside every value encrypted with `key`. A truncated HMAC of a fixed
 * label: it names the key without revealing anything usable about it.
 * @example keyIdOf(randomBytes(32)) // '3f9c0a1b2c3d4e5f'
 */
export function keyIdOf(key: Buffer): string {
  return createHmac('sha256', key).update('khaosflow vault key id').digest('hex').slice(0, 16);
}

/** Reads a key written as base64, base64url or hex; `where` names its origin in the error. */
export function parseMasterKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) key = Buffer.from(trimmed, 'base64');
  if (!key || key.length !== KEY_BYTES) {
    throw new Error(`${where} is not a valid secret key: expected ${KEY_FORMATS}; got ${trimmed.length} characters.`);
  }
  return key;
}

export function formatMasterKey(key: Buffer): string {
  return key.toString('base64');
}

export function keyFilePath(home: string): string {
  return path.join(home, 'secret.key');
}

/**
 * Writes a new key file readable by its owner only. Refuses to replace an existing
 * file: two processes starting together must end up with the same key, so the
 * file appears whole (written aside, then hard-linked into place) or not at all.
 * @returns false when the file already existed.
 */
export function writeKeyFileOnce(file: string, key: Buffer): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temp, `${formatMasterKey(key)}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Replaces a key file atomically (rotation). */
export function replaceKeyFile(file: string, key: Buffer): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${formatMasterKey(key)}\n`, { mode: 0o600 });
  fs.renameSync(temp, file);
}

export function readKeyFile(file: string): Buffer {
  const mode = fs.statSync(file).mode & 0o077;
  if (mode !== 0)
    throw new Error(
      `The secret key file ${file} is readable by other users (mode ${(fs.statSync(file).mode & 0o777).toString(8)}). Run \`chmod 600 ${file}\` and start again.`,
    );
  return parseMasterKey(fs.readFileSync(file, 'utf8'), `The key file ${file}`);
}

/**
 * The master key of this process.
 * @example const master = loadMasterKey({ env: process.env, home: config.home });
 */
export function loadMasterKey(opts: { env: NodeJS.ProcessEnv; home: string }): MasterKey {
  const fromEnv = opts.env.KHAOSFLOW_SECRET_KEY;
  if (fromEnv) {
    const key = parseMasterKey(fromEnv, 'KHAOSFLOW_SECRET_KEY');
    return { key, keyId: keyIdOf(key), source: 'env', generated: false };
  }
  const file = keyFilePath(opts.home);
  const generated = !fs.existsSync(file) && writeKeyFileOnce(file, randomBytes(KEY_BYTES));
  const key = readKeyFile(file);
  return { key, keyId: keyIdOf(key), source: 'file', file, generated };
}

/** Says where the key came from, for start-up lines and errors. */
export function describeKeySource(master: Pick<MasterKey, 'source' | 'file' | 'keyId'>): string {
  return master.source === 'env' ? `KHAOSFLOW_SECRET_KEY (key id ${master.keyId})` : `the key file ${master.file} (key id ${master.keyId})`;
}
