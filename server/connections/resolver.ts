// The connection a step names, from three sources in this order of precedence:
//   1. the database (console, API, `khaosflow connections add`),
//   2. $KHAOSFLOW_HOME/connections.yaml,
//   3. the environment (KHAOSFLOW_CONNECTION_<NAME>=<url>).
// A name found in an earlier source hides the same name in later ones. A step that
// names no connection gets the one called `default` of the type it needs, looked up
// in the same order.
import type { Db } from '../../db/client.js';
import type { VaultSecretStore } from '../secrets/store.js';
import { connectionsFromEnv, resolveWith } from './env.js';
import { connectionsFileReader, materializeFileConnection } from './file.js';
import { loadStoredConnections, toConnectionView, type ConnectionView } from './store.js';
import type { Connection, ConnectionResolver, ConnectionType } from './types.js';

export interface ConnectionCatalog extends ConnectionResolver {
  /** Every connection, the winning one per name, secrets hidden; sorted by name. */
  list(): Promise<ConnectionView[]>;
  /** Forget cached database connections (after a write in this process). */
  invalidate(): void;
}

interface Source {
  names(): Promise<Array<{ name: string; type: ConnectionType }>>;
  load(name: string): Promise<Connection | null>;
}

/**
 * @example const connections = createConnectionResolver({ db, secrets: vault.secrets, file: connectionsFilePath(home), env: process.env });
 */
export function createConnectionResolver(opts: {
  db: Db;
  secrets: VaultSecretStore;
  file: string;
  env: NodeJS.ProcessEnv;
  cacheMs?: number;
}): ConnectionCatalog {
  const cacheMs = opts.cacheMs ?? 5_000;
  let stored: { at: number; list: Promise<Array<Connection & { createdAt: Date; updatedAt: Date }>> } | null = null;
  const storedConnections = () => {
    if (!stored || Date.now() - stored.at > cacheMs) {
      const list = loadStoredConnections(opts.db, opts.secrets);
      stored = { at: Date.now(), list };
      list.catch(() => {
        stored = null;
      });
    }
    return stored.list;
  };
  const readFile = connectionsFileReader(opts.file);
  const fromEnv = connectionsFromEnv(opts.env);

  const sources: Source[] = [
    {
      names: async () => (await storedConnections()).map(({ name, type }) => ({ name, type })),
      load: async (name) => (await storedConnections()).find((c) => c.name === name) ?? null,
    },
    {
      names: async () => readFile().map(({ name, type }) => ({ name, type })),
      load: async (name) => {
        const entry = readFile().find((c) => c.name === name);
        return entry ? materializeFileConnection(entry, opts.secrets, opts.file) : null;
      },
    },
    {
      names: async () => fromEnv.map(({ name, type }) => ({ name, type })),
      load: async (name) => fromEnv.find((c) => c.name === name) ?? null,
    },
  ];

  async function get(name: string): Promise<Connection | null> {
    for (const source of sources) {
      if ((await source.names()).some((c) => c.name === name)) return source.load(name);
    }
    return null;
  }

  async function find(type: ConnectionType, name?: string): Promise<Connection | null> {
    if (name !== undefined) return get(name);
    for (const source of sources) {
      if ((await source.names()).some((c) => c.name === 'default' && c.type === type)) return source.load('default');
    }
    return null;
  }

  return {
    get,
    find,
    resolve: resolveWith(find),
    async list() {
      const seen = new Map<string, ConnectionView>();
      for (const c of await storedConnections()) seen.set(c.name, toConnectionView(c, { createdAt: c.createdAt, updatedAt: c.updatedAt }));
      // File entries are listed as written: their ${secret:...} references hide nothing.
      for (const c of readFile()) if (!seen.has(c.name)) seen.set(c.name, toConnectionView({ ...c, source: 'file' }));
      for (const c of fromEnv) if (!seen.has(c.name)) seen.set(c.name, toConnectionView(c));
      return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
    },
    invalidate() {
      stored = null;
    },
  };
}
