// Secrets as the API and the console manage them: names and dates out, values only in.
import { z } from 'zod';
import { notFound } from '../core/http-error.js';
import { assertSecretName } from '../secrets/store.js';
import type { Services } from '../services.js';
import { checkName, parseInput } from './input.js';

type Deps = Pick<Services, 'vault'>;

export interface SecretListing {
  name: string;
  created_at: string;
  updated_at: string;
}

export const secretInput = z.object({ value: z.string().min(1, 'the value is empty') }).strict();

export async function listSecrets(deps: Deps): Promise<{ secrets: SecretListing[] }> {
  const list = await deps.vault.secrets.list();
  return { secrets: list.map((s) => ({ name: s.name, created_at: s.createdAt.toISOString(), updated_at: s.updatedAt.toISOString() })) };
}

/** Creates or replaces (rotates) a secret; the answer never carries the value. */
export async function putSecret(deps: Deps, name: string, body: unknown): Promise<{ name: string }> {
  checkName(assertSecretName, name);
  const { value } = parseInput('secret', secretInput, body);
  await deps.vault.secrets.set(name, value);
  return { name };
}

export async function deleteSecret(deps: Deps, name: string): Promise<void> {
  if (!(await deps.vault.secrets.delete(name))) throw notFound(`Secret "${name}"`);
}
