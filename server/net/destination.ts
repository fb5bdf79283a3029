// The outbound policy (outbound-policy.ts) for connections that are not HTTP: a
// database, mail, FTP, SFTP or S3 client connects with its own socket code, so the
// host is resolved and every address checked just before the client is handed the
// connection. (HTTP requests are checked at connect time by the dispatcher instead.)
import dns from 'node:dns/promises';
import { parseIp } from './ip-address.js';
import { checkAddress, OutboundRefusedError, type OutboundPolicy } from './outbound-policy.js';

/** Host names in a URL's authority: `mongodb://a:1,b:2/x` names two. */
export function urlHosts(url: string): string[] {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(url)?.[1] ?? '';
  return authority
    .split(',')
    .map((hostPort) => (hostPort.startsWith('[') ? hostPort.slice(1, hostPort.indexOf(']')) : hostPort.replace(/:\d*$/, '')))
    .map((host) => decodeURIComponent(host).trim())
    .filter(Boolean);
}

/**
 * Throws an OutboundRefusedError when the policy forbids `host` (by its name, or by
 * any address it resolves to); a name that does not resolve is left to the client.
 */
export async function checkDestination(host: string, policy: OutboundPolicy): Promise<void> {
  const literal = parseIp(host);
  if (literal) return checkAddress(literal, host, host, policy);
  let addresses: Array<{ address: string }>;
  try {
    addresses = await dns.lookup(host, { all: true });
  } catch {
    return; // the client reports the unknown name in its own words
  }
  for (const entry of addresses) {
    const ip = parseIp(entry.address);
    if (ip) checkAddress(ip, entry.address, host, policy);
  }
}

/** Checks every host a connection URL names. */
export async function checkUrlDestinations(url: string, policy: OutboundPolicy): Promise<void> {
  for (const host of urlHosts(url)) await checkDestination(host, policy);
}

export { OutboundRefusedError };
