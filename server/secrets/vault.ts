// Opens the secret side of the vault at start-up: loads the master key, proves it reads
// the database's secrets (or refuses to start, saying what to do) and builds the secret
// store. The connection catalog whose passwords it keeps is built on top of it
// (server/vault.ts): secrets know nothing of connections.
import type { Db } from '../../db/client.js';
import type { Logger } from '../logger.js';
import { openKeyring, type Keyring } from './keyring.js';
import { describeKeySource, loadMasterKey, type MasterKey } from './master-key.js';
import { createSecretStore, type VaultSecretStore } from './store.js';

export interface SecretVault {
  master: MasterKey;
  keyring: Keyring;
  secrets: VaultSecretStore;
}

/**
 * @throws VaultKeyError when the key cannot decrypt the stored secrets, Error when KHAOSFLOW_SECRET_KEY is malformed
 * @example const { secrets } = await openSecretVault({ db, env: process.env, home: config.home, logger });
 */
export async function openSecretVault(opts: {
  db: Db;
  env: NodeJS.ProcessEnv;
  home: string;
  logger: Logger;
  cacheMs?: number;
}): Promise<SecretVault> {
  const master = loadMasterKey({ env: opts.env, home: opts.home });
  if (master.generated) {
    opts.logger.warn(
      { file: master.file, keyId: master.keyId },
      `generated a new secret key in ${master.file} (mode 0600): back it up, or set KHAOSFLOW_SECRET_KEY to its contents; without it stored secrets cannot be read`,
    );
  } else {
    opts.logger.debug({ keyId: master.keyId, source: master.source }, `secret key: ${describeKeySource(master)}`);
  }
  const keyring = await openKeyring(opts.db, master, (msg) => opts.logger.info(msg));
  const secrets = createSecretStore(opts.db, keyring, { env: opts.env, ...(opts.cacheMs === undefined ? {} : { cacheMs: opts.cacheMs }) });
  return { master, keyring, secrets };
}
