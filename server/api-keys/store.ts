// Creating, listing and revoking API keys. Listings never include anything from
// which a key could be rebuilt: the prefix only identifies it.
import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import type { ApiKey, ApiKeyScope } from '../../db/schema.js';
import { generateApiKey } from './format.js';

export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['read', 'write', 'webhook'];

export type ApiKeyInfo = Omit<ApiKey, 'hash'>;

export interface CreatedApiKey {
  /** Shown once; KhaosFlow keeps only its hash. */
  key: string;
  info: ApiKeyInfo;
}

/** Scopes as given (`--scope read,webhook`), checked; defaults to webhook for a workflow key, all scopes otherwise. */
export function parseScopes(values: readonly string[] | undefined, workflowSlug: string | null): ApiKeyScope[] {
  const given = (values ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (given.length === 0) return workflowSlug ? ['webhook'] : [...API_KEY_SCOPES];
  const unknown = given.filter((s) => !API_KEY_SCOPES.includes(s as ApiKeyScope));
  if (unknown.length > 0) throw new Error(`Unknown scope ${unknown.map((s) => `"${s}"`).join(', ')}: use read, write and/or webhook.`);
  return [...new Set(given as ApiKeyScope[])];
}

/**
 * @example const { key } = await createApiKey(db, { name: 'shop', workflowSlug: 'order-processing', scopes: ['webhook'] });
 */
export async function createApiKey(
  db: Db,
  opts: { name?: string | null; workflowSlug?: string | null; scopes?: ApiKeyScope[] } = {},
): Promise<CreatedApiKey> {
  const workflowSlug = opts.workflowSlug ?? null;
  const scopes = opts.scopes ?? parseScopes(undefined, workflowSlug);
  for (let attempt = 0; ; attempt++) {
    const generated = generateApiKey();
    // 36^8 prefixes make a clash rare; when one happens, draw again.
    const row = await db
      .insertInto('khaosflow.api_keys')
      .values({ prefix: generated.prefix, hash: generated.hash, name: opts.name ?? null, workflow_slug: workflowSlug, scopes })
      .onConflict((oc) => oc.column('prefix').doNothing())
      .returning(['id', 'prefix', 'name', 'workflow_slug', 'scopes', 'created_at', 'last_used_at', 'revoked_at'])
      .executeTakeFirst();
    if (row) return { key: generated.key, info: row };
    if (attempt >= 5) throw new Error('Could not find a free API key prefix; try again.');
  }
}

export async function listApiKeys(db: Db, opts: { includeRevoked?: boolean } = {}): Promise<ApiKeyInfo[]> {
  let query = db
    .selectFrom('khaosflow.api_keys')
    .select(['id', 'prefix', 'name', 'workflow_slug', 'scopes', 'created_at', 'last_used_at', 'revoked_at'])
    .orderBy('id');
  if (!opts.includeRevoked) query = query.where('revoked_at', 'is', null);
  return query.execute();
}

/**
 * Revokes by id (digits) or prefix; a key already revoked keeps its first revocation time.
 * @returns the key, or null when none matches
 */
export async function revokeApiKey(db: Db, idOrPrefix: string): Promise<ApiKeyInfo | null> {
  const byId = /^\d+$/.test(idOrPrefix);
  const row = await db
    .updateTable('khaosflow.api_keys')
    .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
    .where(byId ? 'id' : 'prefix', '=', byId ? Number(idOrPrefix) : idOrPrefix.replace(/^kf_/, ''))
    .returning(['id', 'prefix', 'name', 'workflow_slug', 'scopes', 'created_at', 'last_used_at', 'revoked_at'])
    .executeTakeFirst();
  return row ?? null;
}
