// Connections kept in the database: khaosflow.connections holds the URL without its
// password plus the non-secret options; every secret field is a vault secret named
// `connection:<name>:<field>`, written in the same transaction as the row.
import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import { connectionSecretName, writeSecret, type VaultSecretStore } from '../secrets/store.js';
import { CONNECTION_TYPES, connectionTypeOfUrl, type Connection, type ConnectionType } from './types.js';
import { joinConnectionSecrets, redactConnectionUrl, SECRET_FIELD, splitConnectionSecrets } from './urls.js';

export const CONNECTION_NAME = /^[a-z0-9][a-z0-9_-]*$/;
/** What a listing shows in place of a secret; given back on update, it keeps the stored value. */
export const HIDDEN = '***';

export interface ConnectionInput {
  name: string;
  url: string;
  /** Must agree with the URL's scheme when given. */
  type?: ConnectionType;
  options?: Record<string, string>;
}

/** A connection as listings and the API show it: secrets replaced by `***`. */
export interface ConnectionView {
  name: string;
  type: ConnectionType;
  url: string;
  options: Record<string, string>;
  source: Connection['source'];
  createdAt?: Date;
  updatedAt?: Date;
}

export class ConnectionInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionInputError';
  }
}

export function toConnectionView(connection: Connection, dates: { createdAt?: Date; updatedAt?: Date } = {}): ConnectionView {
  const options = Object.fromEntries(Object.entries(connection.options).map(([k, v]) => [k, SECRET_FIELD.test(k) ? HIDDEN : v]));
  return {
    name: connection.name,
    type: connection.type,
    url: redactConnectionUrl(connection.url),
    options,
    source: connection.source,
    ...dates,
  };
}

/** Checks a connection's name, URL and type; returns its type. */
export function validateConnectionInput(input: ConnectionInput): ConnectionType {
  if (!CONNECTION_NAME.test(input.name)) {
    throw new ConnectionInputError(
      `"${input.name}" is not a valid connection name: use lower-case letters, digits, "_" and "-", starting with a letter or digit.`,
    );
  }
  const type = connectionTypeOfUrl(input.url);
  if (!type)
    throw new ConnectionInputError(
      `The URL of connection "${input.name}" must start with one of ${CONNECTION_TYPES.map((t) => `${t}://`).join(', ')} (also postgresql, mariadb, smtps, imaps, ftps, https).`,
    );
  if (input.type && input.type !== type)
    throw new ConnectionInputError(`Connection "${input.name}" is declared ${input.type} but its URL is a ${type} URL.`);
  try {
    new URL(input.url);
  } catch {
    throw new ConnectionInputError(
      `The URL of connection "${input.name}" is not a valid URL (${redactConnectionUrl(input.url)}); percent-encode special characters in the password (@ as %40, / as %2F).`,
    );
  }
  return type;
}

interface StoredSettings {
  url: string;
  options: Record<string, string>;
}

async function storedSecrets(vault: VaultSecretStore, name: string, fields: string[]): Promise<Record<string, string>> {
  const values = await vault.getMany(fields.map((f) => connectionSecretName(name, f)));
  return Object.fromEntries(
    fields.filter((f) => connectionSecretName(name, f) in values).map((f) => [f, values[connectionSecretName(name, f)]!]),
  );
}

/** Which part of where a connection goes differs between two URLs: scheme, host, port or user. */
function destinationChange(before: string, after: string): string | null {
  let a: URL;
  let b: URL;
  try {
    a = new URL(before);
    b = new URL(after);
  } catch {
    return 'URL';
  }
  if (a.protocol !== b.protocol) return 'scheme';
  if (a.hostname.toLowerCase() !== b.hostname.toLowerCase()) return 'host';
  if (a.port !== b.port) return 'port';
  if (decodeURIComponent(a.username) !== decodeURIComponent(b.username)) return 'user';
  return null;
}

/**
 * Creates (`mode: 'create'`), replaces (`'update'`) or either (`'upsert'`) a connection.
 * On update, a password or option given as `***` keeps the stored value, so a form
 * filled from a listing can be saved back without retyping secrets - unless the
 * scheme, host, port or user changed: then the secret must be given again.
 */
export async function saveConnection(
  db: Db,
  vault: VaultSecretStore,
  input: ConnectionInput,
  mode: 'create' | 'update' | 'upsert' = 'upsert',
): Promise<ConnectionView> {
  const type = validateConnectionInput(input);
  const existing = await db
    .selectFrom('khaosflow.connections')
    .select(['settings', 'secret_fields'])
    .where('name', '=', input.name)
    .executeTakeFirst();
  if (mode === 'create' && existing)
    throw new ConnectionInputError(`A connection named "${input.name}" already exists; update it or pick another name.`);
  if (mode === 'update' && !existing) throw new ConnectionInputError(`There is no connection named "${input.name}" in the database.`);

  const split = splitConnectionSecrets(input.url, input.options ?? {});
  if (existing) {
    // A kept secret may only go where it was saved for: with `***` and a new host, a
    // caller who cannot read the password could otherwise send it to a server of theirs.
    const hidden = existing.secret_fields.filter((f) => split.secrets[f] === HIDDEN);
    const moved = hidden.length > 0 ? destinationChange((existing.settings as unknown as StoredSettings).url, split.url) : null;
    if (moved)
      throw new ConnectionInputError(
        `Connection "${input.name}": the ${moved} changed, so the stored ${hidden.map((f) => f.replace(/^(query|option)\./, '')).join(' and ')} cannot be kept (it was saved for the old one). Type it again instead of ***.`,
      );
    const kept = await storedSecrets(
      vault,
      input.name,
      existing.secret_fields.filter((f) => split.secrets[f] === HIDDEN),
    );
    Object.assign(split.secrets, kept);
  }
  for (const [field, value] of Object.entries(split.secrets)) if (value === HIDDEN) delete split.secrets[field];

  const settings: StoredSettings = { url: split.url, options: split.options };
  const fields = Object.keys(split.secrets).sort();
  const unnamable = fields.find((f) => !/^[A-Za-z0-9_.-]+$/.test(f));
  if (unnamable)
    throw new ConnectionInputError(
      `Connection "${input.name}": the secret ${unnamable.replace(/^(query|option)\./, '$1 ')} may only have letters, digits, "_", "." and "-" in its name.`,
    );
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('khaosflow.connections')
      .values({ name: input.name, type, settings: JSON.stringify(settings), secret_fields: fields })
      .onConflict((oc) =>
        oc.column('name').doUpdateSet({ type, settings: JSON.stringify(settings), secret_fields: fields, updated_at: new Date() }),
      )
      .execute();
    await trx
      .deleteFrom('khaosflow.secrets')
      .where(sql<boolean>`starts_with(name, ${connectionSecretName(input.name, '')})`)
      .where('name', 'not in', [...fields.map((f) => connectionSecretName(input.name, f)), ''])
      .execute();
    for (const field of fields) await writeSecret(trx, vault.keyring, connectionSecretName(input.name, field), split.secrets[field]!);
  });
  vault.invalidate();
  const saved = joinConnectionSecrets(split.url, split.options, split.secrets);
  return toConnectionView({ name: input.name, type, ...saved, source: 'database' });
}

/** @returns false when there was no such connection in the database */
export async function deleteConnection(db: Db, vault: VaultSecretStore, name: string): Promise<boolean> {
  const deleted = await db.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom('khaosflow.connections').where('name', '=', name).executeTakeFirst();
    await trx
      .deleteFrom('khaosflow.secrets')
      .where(sql<boolean>`starts_with(name, ${connectionSecretName(name, '')})`)
      .execute();
    return Number(result.numDeletedRows) > 0;
  });
  vault.invalidate();
  return deleted;
}

/** Every database connection with its secrets decrypted (in memory only). */
export async function loadStoredConnections(
  db: Db,
  vault: VaultSecretStore,
): Promise<Array<Connection & { createdAt: Date; updatedAt: Date }>> {
  const rows = await db.selectFrom('khaosflow.connections').selectAll().orderBy('name').execute();
  const out: Array<Connection & { createdAt: Date; updatedAt: Date }> = [];
  for (const row of rows) {
    const settings = row.settings as StoredSettings;
    const secrets = await storedSecrets(vault, row.name, row.secret_fields);
    const joined = joinConnectionSecrets(settings.url, settings.options ?? {}, secrets);
    out.push({
      name: row.name,
      type: row.type as ConnectionType,
      ...joined,
      source: 'database',
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
  }
  return out;
}
