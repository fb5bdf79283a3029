// Checks a key presented to the REST API or a webhook: it must exist, match in
// constant time, not be revoked, carry the scope the route needs (write implies
// read) and, when the key is limited to one workflow, be used for that workflow.
import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import type { ApiKeyScope } from '../../db/schema.js';
import { apiKeyMatches, apiKeyPrefix } from './format.js';
import type { ApiKeyInfo } from './store.js';

/** last_used_at is a hint, not an audit log: writing it at most once a minute keeps verification read-only. */
const LAST_USED_RESOLUTION_MS = 60_000;

export type ApiKeyRefusal = 'malformed' | 'unknown' | 'revoked' | 'scope' | 'workflow';

export type ApiKeyCheck = { ok: true; key: ApiKeyInfo } | { ok: false; reason: ApiKeyRefusal; message: string };

/**
 * @example
 *   const check = await verifyApiKey(db, ctx.get('x-api-key'), { workflowSlug: 'order-processing', scope: 'webhook' });
 *   if (!check.ok) throw new HttpError(check.reason === 'malformed' || check.reason === 'unknown' ? 401 : 403, 'unauthorized', check.message);
 */
export async function verifyApiKey(
  db: Db,
  presented: string | null | undefined,
  opts: { workflowSlug?: string; scope: ApiKeyScope },
): Promise<ApiKeyCheck> {
  const key = (presented ?? '').replace(/^Bearer\s+/i, '').trim();
  const prefix = apiKeyPrefix(key);
  if (!prefix)
    return {
      ok: false,
      reason: 'malformed',
      message: 'No valid API key was given: send it as "Authorization: Bearer kf_..." (create one with `khaosflow keys create`).',
    };
  const row = await db.selectFrom('khaosflow.api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst();
  if (!row || !apiKeyMatches(key, row.hash)) return { ok: false, reason: 'unknown', message: 'This API key is not valid.' };
  const { hash: _hash, ...info } = row;
  if (row.revoked_at)
    return { ok: false, reason: 'revoked', message: `API key ${row.prefix} was revoked; create a new one with \`khaosflow keys create\`.` };
  const scopes = new Set<ApiKeyScope>(row.scopes);
  if (!scopes.has(opts.scope) && !(opts.scope === 'read' && scopes.has('write'))) {
    return {
      ok: false,
      reason: 'scope',
      message: `API key ${row.prefix} does not have the "${opts.scope}" scope (it has ${row.scopes.join(', ')}).`,
    };
  }
  if (row.workflow_slug !== null && row.workflow_slug !== opts.workflowSlug) {
    return { ok: false, reason: 'workflow', message: `API key ${row.prefix} is limited to workflow "${row.workflow_slug}".` };
  }
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.updateTable('khaosflow.api_keys').set({ last_used_at: sql<Date>`now()` }).where('id', '=', row.id).execute();
  }
  return { ok: true, key: info };
}
