// Builds the stores that reach outside the workflow: connections, secrets, variables
// and email templates. Until the vault exists these read the environment only.
import { connectionsFromEnv, staticConnectionResolver } from './connections/env.js';
import type { Services } from './services.js';

type OutsideWorld = Pick<Services, 'connections' | 'secrets' | 'variables' | 'emailTemplates'>;

export async function openOutsideWorld(_base: Omit<Services, keyof OutsideWorld>, env: NodeJS.ProcessEnv = process.env): Promise<OutsideWorld> {
  const fromEnv = (prefix: string) =>
    Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith(prefix) && v !== undefined).map(([k, v]) => [k.slice(prefix.length).toLowerCase(), v!]));
  const secrets = fromEnv('KHAOSFLOW_SECRET_');
  delete secrets.key; // KHAOSFLOW_SECRET_KEY is the vault's master key, not a secret named "key".
  const vars = fromEnv('KHAOSFLOW_VAR_');
  return {
    connections: staticConnectionResolver(connectionsFromEnv(env)),
    secrets: {
      get: async (name) => secrets[name],
      getMany: async (names) => Object.fromEntries(names.filter((n) => n in secrets).map((n) => [n, secrets[n]!])),
    },
    variables: { all: async () => vars },
    emailTemplates: { get: async () => null },
  };
}
