// Named secrets in khaosflow.secrets, encrypted by the keyring; environment secrets
// (KHAOSFLOW_SECRET_<NAME>, name lower-cased) fill in names the database lacks.
// Reads go through a short cache: a step resolving `{{secrets.x}}` should not cost
// a query and a decryption each time, and a write elsewhere shows within seconds.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { secretAad, type Sealed } from './cipher.js';
import type { Keyring } from './keyring.js';
import type { SecretStore } from './types.js';

type Executor = Kysely<Database>;

/** Names usable as `{{secrets.<name>}}`. */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Secrets a connection keeps its password and other secret fields in. */
export const connectionSecretName = (connection: string, field: string) => `connection:${connection}:${field}`;

export interface SecretInfo {
  name: string;
  keyId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface VaultSecretStore extends SecretStore {
  /** Creates or replaces a secret. */
  set(name: string, value: string): Promise<void>;
  /** @returns false when there was no such secret */
  delete(name: string): Promise<boolean>;
  /** Names and dates only; values are never listed. Connection fields are left out unless asked for. */
  list(opts?: { includeConnectionFields?: boolean }): Promise<SecretInfo[]>;
  /** Forgets cached values (after a write made with writeSecret inside a transaction). */
  invalidate(): void;
  readonly keyring: Keyring;
}

export function assertSecretName(name: string): void {
  if (!SECRET_NAME.test(name)) {
    throw new Error(
      `"${name}" is not a valid secret name: use letters, digits and underscores, not starting with a digit (it is read as {{secrets.${name}}}).`,
    );
  }
}

/** Encrypts and upserts one secret; usable inside a transaction. */
export async function writeSecret(db: Executor, keyring: Keyring, name: string, value: string): Promise<void> {
  const sealed = await keyring.seal(value, (keyId) => secretAad(name, keyId), db);
  await db
    .insertInto('khaosflow.secrets')
    .values({ name, ...sealed })
    .onConflict((oc) => oc.column('name').doUpdateSet({ ...sealed, updated_at: new Date() }))
    .execute();
}

export async function readSealed(keyring: Keyring, row: Sealed & { name: string }): Promise<string> {
  try {
    return (await keyring.open(row, (keyId) => secretAad(row.name, keyId))).toString('utf8');
  } catch (err) {
    throw new Error(`Secret "${row.name}" cannot be decrypted: ${(err as Error).message}.`);
  }
}

/**
 * The vault's secret store.
 * @example const store = createSecretStore(db, keyring); await store.set('api_token', 'abc'); await store.get('api_token');
 */
export function createSecretStore(
  db: Executor,
  keyring: Keyring,
  opts: { env?: NodeJS.ProcessEnv; cacheMs?: number } = {},
): VaultSecretStore {
  const cacheMs = opts.cacheMs ?? 5_000;
  const fromEnv = envSecrets(opts.env ?? {});
  const cache = new Map<string, { value: string | undefined; at: number }>();

  async function getMany(names: readonly string[]): Promise<Record<string, string>> {
    const now = Date.now();
    const out: Record<string, string> = {};
    const missing: string[] = [];
    for (const name of new Set(names)) {
      const hit = cache.get(name);
      if (hit && now - hit.at < cacheMs) {
        if (hit.value !== undefined) out[name] = hit.value;
      } else missing.push(name);
    }
    if (missing.length > 0) {
      const rows = await db
        .selectFrom('khaosflow.secrets')
        .select(['name', 'ciphertext', 'iv', 'tag', 'key_id'])
        .where('name', 'in', missing)
        .execute();
      const found = new Map(rows.map((r) => [r.name, r]));
      for (const name of missing) {
        const row = found.get(name);
        const value = row ? await readSealed(keyring, row) : fromEnv[name];
        cache.set(name, { value, at: now });
        if (value !== undefined) out[name] = value;
      }
    }
    return out;
  }

  return {
    keyring,
    getMany,
    async get(name) {
      return (await getMany([name]))[name];
    },
    async set(name, value) {
      assertSecretName(name);
      await writeSecret(db, keyring, name, value);
      cache.delete(name);
    },
    async delete(name) {
      const result = await db.deleteFrom('khaosflow.secrets').where('name', '=', name).executeTakeFirst();
      cache.delete(name);
      return Number(result.numDeletedRows) > 0;
    },
    async list(listOpts = {}) {
      let query = db.selectFrom('khaosflow.secrets').select(['name', 'key_id', 'created_at', 'updated_at']).orderBy('name');
      if (!listOpts.includeConnectionFields) query = query.where('name', 'not like', 'connection:%');
      const rows = await query.execute();
      return rows.map((r) => ({ name: r.name, keyId: r.key_id, createdAt: r.created_at, updatedAt: r.updated_at }));
    },
    invalidate() {
      cache.clear();
    },
  };
}

/** KHAOSFLOW_SECRET_<NAME> as `<name>`; KHAOSFLOW_SECRET_KEY is the master key, not a secret. */
export function envSecrets(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('KHAOSFLOW_SECRET_') || key === 'KHAOSFLOW_SECRET_KEY' || value === undefined) continue;
    out[key.slice('KHAOSFLOW_SECRET_'.length).toLowerCase()] = value;
  }
  return out;
}
