// A step's connections carry passwords into memory; whatever a driver echoes back (an
// error quoting the URL, a connection string in a log line) must be redacted like a
// secret. The executor wraps ActionContext.connections with this.
import type { Connection, ConnectionResolver } from './types.js';
import { connectionSecretValues } from './urls.js';

/**
 * The same resolver, registering the secret values of every connection it hands out.
 * @example ctx.connections = redactingResolver(services.connections, (v) => redactor.add(v));
 */
export function redactingResolver(resolver: ConnectionResolver, addSecret: (value: string) => void): ConnectionResolver {
  const seen = <T extends Connection | null>(connection: T): T => {
    if (connection) for (const value of connectionSecretValues(connection)) addSecret(value);
    return connection;
  };
  return {
    resolve: async (type, name) => seen(await resolver.resolve(type, name)),
    find: async (type, name) => seen(await resolver.find(type, name)),
    get: async (name) => seen(await resolver.get(name)),
  };
}
