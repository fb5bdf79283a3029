// Opens the vault at start-up: loads the master key, proves it reads the database's
// secrets (or refuses to start, saying what to do) and builds the secret store and
// the connection catalog whose passwords it keeps.
import type { Db } from '../../db/client.js';
import { connectionsFilePath } from '../connections/file.js';
import { createConnectionResolver, type ConnectionCatalog } from '../connections/resolver.js';
import type { Logger } from '../logger.js';
import { openKeyring, type Keyring } from './keyring.js';
import { describeKeySource, loadMasterKey, type MasterKey } from './master-key.js';
import { createSecretStore, type VaultSecretStore } from './store.js';

export interface Vault {
  master: MasterKey;
  keyring: Keyring;
  secrets: VaultSecretStore;
  /** Database, file and environment connections (also services.connections). */
  connections: ConnectionCatalog;
}

/**
 * @throws VaultKeyError when the key cannot decrypt the stored secrets, Error when KHAOSFLOW_SECRET_KEY is malformed
 * @example const vault = await openVault({ db, env: process.env, home: config.home, logger });
 */
export async function openVault(opts: { db: Db; env: NodeJS.ProcessEnv; home: string; logger: Logger; cacheMs?: number }): Promise<Vault> {
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
  const cache = opts.cacheMs === undefined ? {} : { cacheMs: opts.cacheMs };
  const secrets = createSecretStore(opts.db, keyring, { env: opts.env, ...cache });
  const connections = createConnectionResolver({ db: opts.db, secrets, file: connectionsFilePath(opts.home), env: opts.env, ...cache });
  return { master, keyring, secrets, connections };
}
