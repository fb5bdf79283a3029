// API keys as the API and the console manage them: the key itself is shown once, at
// creation; only its hash is stored.
import { z } from 'zod';
import type { ApiKeyScope } from '../../db/schema.js';
import { API_KEY_SCOPES, type ApiKeyInfo, createApiKey, listApiKeys, revokeApiKey } from '../api-keys/store.js';
import { notFound } from '../core/http-error.js';
import type { Services } from '../services.js';
import { parseInput } from './input.js';

type Deps = Pick<Services, 'db'>;

export const apiKeyInput = z
  .object({
    name: z.string().min(1).max(100),
    scopes: z.array(z.enum(API_KEY_SCOPES as [ApiKeyScope, ...ApiKeyScope[]])).min(1, 'give at least one scope'),
    workflow: z.string().min(1).optional(),
  })
  .strict();

export interface ApiKeyListing {
  id: number;
  prefix: string;
  name: string | null;
  workflow: string | null;
  scopes: ApiKeyScope[];
  created_at: string;
  last_used_at: string | null;
}

const listing = (key: ApiKeyInfo): ApiKeyListing => ({
  id: key.id,
  prefix: `kf_${key.prefix}`,
  name: key.name,
  workflow: key.workflow_slug,
  scopes: key.scopes,
  created_at: key.created_at.toISOString(),
  last_used_at: key.last_used_at?.toISOString() ?? null,
});

export async function listKeys(deps: Deps): Promise<{ keys: ApiKeyListing[] }> {
  return { keys: (await listApiKeys(deps.db)).map(listing) };
}

export async function createKey(deps: Deps, body: unknown): Promise<{ id: number; key: string }> {
  const input = parseInput('API key', apiKeyInput, body);
  const created = await createApiKey(deps.db, {
    name: input.name,
    scopes: [...new Set(input.scopes)],
    workflowSlug: input.workflow ?? null,
  });
  return { id: created.info.id, key: created.key };
}

export async function revokeKey(deps: Deps, id: string): Promise<void> {
  if (!/^\d+$/.test(id) || !(await revokeApiKey(deps.db, id))) throw notFound(`API key ${id}`);
}
