// The vault the CLI, API and console write through: the secret store (server/secrets/)
// and the connection catalog whose passwords it keeps (server/connections/), opened
// together at start-up. Built here, above both, so secrets never import connections.
import type { Db } from '../db/client.js';
import { connectionsFilePath } from './connections/file.js';
import { createConnectionResolver, type ConnectionCatalog } from './connections/resolver.js';
import type { Logger } from './logger.js';
import { openSecretVault, type SecretVault } from './secrets/vault.js';

export interface Vault extends SecretVault {
  /** Database, file and environment connections (also services.connections). */
  connections: ConnectionCatalog;
}

/**
 * @throws VaultKeyError when the key cannot decrypt the stored secrets, Error when KHAOSFLOW_SECRET_KEY is malformed
 * @example const vault = await openVault({ db, env: process.env, home: config.home, logger });
 */
export async function openVault(opts: { db: Db; env: NodeJS.ProcessEnv; home: string; logger: Logger; cacheMs?: number }): Promise<Vault> {
  const vault = await openSecretVault(opts);
  const cache = opts.cacheMs === undefined ? {} : { cacheMs: opts.cacheMs };
  const connections = createConnectionResolver({
    db: opts.db,
    secrets: vault.secrets,
    file: connectionsFilePath(opts.home),
    env: opts.env,
    ...cache,
  });
  return { ...vault, connections };
}
