// Connections from the environment: KHAOSFLOW_CONNECTION_<NAME>=<url>. The URL's
// scheme gives the type; the name is <NAME> lower-cased (POSTGRES_MAIN -> postgres_main).
import { NonRetryableError } from '../core/errors.js';
import { connectionTypeOfUrl, type Connection, type ConnectionResolver, type ConnectionType } from './types.js';

const PREFIX = 'KHAOSFLOW_CONNECTION_';

export function connectionsFromEnv(env: NodeJS.ProcessEnv): Connection[] {
  const out: Connection[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(PREFIX) || !value) continue;
    const type = connectionTypeOfUrl(value);
    if (!type) continue;
    out.push({ name: key.slice(PREFIX.length).toLowerCase(), type, url: value, options: {}, source: 'env' });
  }
  return out;
}

export function missingConnection(type: ConnectionType, name: string | undefined): NonRetryableError {
  const wanted = name ?? 'default';
  return new NonRetryableError(
    `No ${type} connection named "${wanted}". Create it in the console or with KHAOSFLOW_CONNECTION_${wanted.toUpperCase()}=<${type} URL>${name ? '' : `, or name one in the step with connection: <name>`}.`,
  );
}

/** `resolve` on top of `find`: the connection, or an error saying which one to create or why it does not fit. */
export function resolveWith(find: ConnectionResolver['find']): ConnectionResolver['resolve'] {
  return async (type, name) => {
    const found = await find(type, name);
    if (!found) throw missingConnection(type, name);
    if (found.type !== type)
      throw new NonRetryableError(`Connection "${found.name}" is a ${found.type} connection, but this step needs ${type}.`);
    return found;
  };
}

/** Resolver over a fixed list (environment connections); the vault-backed resolver extends this. */
export function staticConnectionResolver(list: Connection[]): ConnectionResolver {
  const get = async (name: string) => list.find((c) => c.name === name) ?? null;
  const find = async (type: ConnectionType, name?: string) => {
    if (name !== undefined) return get(name);
    return list.find((c) => c.name === 'default' && c.type === type) ?? null;
  };
  return { get, find, resolve: resolveWith(find) };
}
