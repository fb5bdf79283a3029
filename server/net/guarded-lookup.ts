// A DNS lookup that refuses forbidden addresses at the moment a connection is made.
// Checking a name once before the request and letting the HTTP client resolve it again
// leaves a window for DNS rebinding (first answer public, second answer 169.254.169.254);
// handing this function to the socket as its `lookup` closes it: the address checked
// is the address connected to.
import dns from 'node:dns';
import type { LookupAddress, LookupAllOptions } from 'node:dns';
import { parseIp } from './ip-address.js';
import { checkAddress, type OutboundPolicy } from './outbound-policy.js';

type Resolve = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export type LookupFunction = (
  hostname: string,
  options: dns.LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

/**
 * @param resolve the resolver (tests inject one that answers a metadata address)
 * @example net.connect({ host: 'api.example.com', port: 443, lookup: guardedLookup(policy) })
 */
export function guardedLookup(policy: OutboundPolicy, resolve: Resolve = dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      try {
        // Every answer must pass: a name that resolves to one public and one metadata
        // address would otherwise reach the metadata service on some connections.
        for (const entry of addresses) {
          const ip = parseIp(entry.address);
          if (ip) checkAddress(ip, entry.address, hostname, policy);
        }
      } catch (refusal) {
        return callback(refusal as NodeJS.ErrnoException, []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}
