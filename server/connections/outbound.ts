// Steps reach connections under the same outbound policy as HTTP steps (issue 18,
// finding 9): a database, mail, FTP, SFTP or S3 connection whose host is (or resolves
// to) a metadata address, or is outside KHAOSFLOW_HTTP_ALLOWED_HOSTS, is refused
// before the client connects. HTTP connections are checked again at connect time by
// the HTTP step's dispatcher.
import { NonRetryableError } from '../core/errors.js';
import { checkUrlDestinations, OutboundRefusedError } from '../net/destination.js';
import { outboundPolicyFromEnv } from '../net/outbound-policy.js';
import type { Connection, ConnectionResolver } from './types.js';

export function policedResolver(resolver: ConnectionResolver, env: NodeJS.ProcessEnv): ConnectionResolver {
  const checked = async <T extends Connection | null>(connection: T): Promise<T> => {
    if (!connection) return connection;
    try {
      await checkUrlDestinations(connection.url, outboundPolicyFromEnv(env));
    } catch (err) {
      if (err instanceof OutboundRefusedError) throw new NonRetryableError(`Connection "${connection.name}": ${err.message}`);
      throw err;
    }
    return connection;
  };
  return {
    resolve: async (type, name) => checked(await resolver.resolve(type, name)),
    find: async (type, name) => checked(await resolver.find(type, name)),
    get: async (name) => checked(await resolver.get(name)),
  };
}
