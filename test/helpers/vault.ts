// Vault test helpers: a temporary KHAOSFLOW_HOME and a vault opened with a given key.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../../db/client.js';
import { createLogger } from '../../server/logger.js';
import { openVault, type Vault } from '../../server/vault.js';

export const silentLogger = createLogger({ level: 'silent' });

export function tempHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kf-vault-'));
}

export function newKeyText(): string {
  return randomBytes(32).toString('base64');
}

/** A vault on `db` with KHAOSFLOW_SECRET_KEY = `key` (no caching, so tests see every write). */
export function vaultWithKey(db: Db, key: string, extraEnv: NodeJS.ProcessEnv = {}, home = tempHome()): Promise<Vault> {
  return openVault({ db, env: { KHAOSFLOW_SECRET_KEY: key, ...extraEnv }, home, logger: silentLogger, cacheMs: 0 });
}
