// Where outbound HTTP may go. By default everywhere except cloud metadata and link-local
// addresses: a workflow that can be made to fetch http://169.254.169.254/ hands out the
// machine's cloud credentials (SSRF). Loopback and private networks stay allowed, since
// self-hosted automation talks to services next door.
//
//   KHAOSFLOW_HTTP_ALLOW_METADATA=true       lift the metadata refusal (on-premise proxies)
//   KHAOSFLOW_HTTP_ALLOWED_HOSTS=a.com,*.b.com,10.0.0.0/8
//                                            only these hosts (names, *.suffix, IPs, CIDRs)
//
// Names are judged by the addresses they resolve to when the connection is made (see
// guarded-lookup.ts), not only by their text, so a name pointing at 169.254.169.254
// is refused too.
import { embeddedIpv4, inRange, parseCidr, parseIp, type IpAddress } from './ip-address.js';

export interface HostRules {
  /** Lower-case names; `*.example.com` matches any name below example.com. */
  names: string[];
  networks: Array<{ network: IpAddress; prefix: number }>;
}

export interface OutboundPolicy {
  allowMetadata: boolean;
  /** null: every host except metadata addresses. */
  allowedHosts: HostRules | null;
}

/** A request KhaosFlow will not make; retrying cannot help, the message says what to change. */
export class OutboundRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefusedError';
  }
}

const refusedRanges = [
  { cidr: '169.254.0.0/16', what: 'a link-local address, where cloud metadata services (169.254.169.254) live' },
  { cidr: 'fd00:ec2::254/128', what: 'the AWS metadata service (IPv6)' },
  { cidr: 'fe80::/10', what: 'an IPv6 link-local address' },
  { cidr: '100.100.100.200/32', what: 'the Alibaba Cloud metadata service' },
].map(({ cidr, what }) => ({ what, range: parseCidr(cidr)! }));

/** Why `ip` is a metadata/link-local address, or null when it is not one. */
export function metadataReason(ip: IpAddress): string | null {
  const candidates = [ip, embeddedIpv4(ip)].filter((x): x is IpAddress => x !== null);
  for (const candidate of candidates) {
    const hit = refusedRanges.find(({ range }) => inRange(candidate, range.network, range.prefix));
    if (hit) return hit.what;
  }
  return null;
}

function parseHostRules(text: string): HostRules {
  const rules: HostRules = { names: [], networks: [] };
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const cidr = parseCidr(entry);
    if (cidr) rules.networks.push(cidr);
    else if (/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(entry))
      rules.names.push(entry.toLowerCase().replace(/\.$/, ''));
    else
      throw new Error(
        `KHAOSFLOW_HTTP_ALLOWED_HOSTS: "${entry}" is neither a host name (api.example.com, *.example.com) nor an IP address or CIDR (10.0.0.0/8); ports are not part of an entry.`,
      );
  }
  return rules;
}

let cached: { key: string; policy: OutboundPolicy } | null = null;

/** The policy the environment sets (re-read when those variables change). */
export function outboundPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): OutboundPolicy {
  const allowMetadata = /^(true|1|yes)$/i.test(env.KHAOSFLOW_HTTP_ALLOW_METADATA ?? '');
  const hosts = env.KHAOSFLOW_HTTP_ALLOWED_HOSTS?.trim() ?? '';
  const key = `${allowMetadata}|${hosts}`;
  if (cached?.key !== key) cached = { key, policy: { allowMetadata, allowedHosts: hosts ? parseHostRules(hosts) : null } };
  return cached.policy;
}

function nameAllowed(hostname: string, rules: HostRules): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return rules.names.some((rule) => (rule.startsWith('*.') ? host.endsWith(rule.slice(1)) : host === rule));
}

function ipAllowed(ip: IpAddress, rules: HostRules): boolean {
  const candidates = [ip, embeddedIpv4(ip)].filter((x): x is IpAddress => x !== null);
  return candidates.some((c) => rules.networks.some(({ network, prefix }) => inRange(c, network, prefix)));
}

function refuseMetadata(address: string, host: string, what: string): never {
  const via = address === host ? '' : ` (${host} resolves to it)`;
  throw new OutboundRefusedError(
    `Refused to connect to ${address}${via}: it is ${what}. Requests there can leak the machine's cloud credentials; if this is really intended, set KHAOSFLOW_HTTP_ALLOW_METADATA=true.`,
  );
}

function refuseHost(host: string): never {
  throw new OutboundRefusedError(
    `Refused to connect to ${host}: it is not in KHAOSFLOW_HTTP_ALLOWED_HOSTS. Add it there (or its network as a CIDR) to allow it.`,
  );
}

/**
 * Checks a URL before any connection: scheme, IP literals, and host names against the
 * allow-list (names the list does not match by name are left to the resolved-address
 * check when the list has networks).
 */
export function checkUrl(url: URL, policy: OutboundPolicy): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundRefusedError(
      `Refused ${url.protocol}// URL ${url.origin === 'null' ? url.href : url.origin}: only http:// and https:// are supported.`,
    );
  }
  const literal = parseIp(url.hostname);
  if (literal) {
    checkAddress(literal, url.hostname.replace(/^\[|\]$/g, ''), url.hostname, policy);
    return;
  }
  const rules = policy.allowedHosts;
  if (rules && !nameAllowed(url.hostname, rules) && rules.networks.length === 0) refuseHost(url.hostname);
}

/** Checks one address a connection is about to use; `host` is the name it came from. */
export function checkAddress(ip: IpAddress, address: string, host: string, policy: OutboundPolicy): void {
  const what = metadataReason(ip);
  if (what && !policy.allowMetadata) refuseMetadata(address, host, what);
  const rules = policy.allowedHosts;
  if (rules && !nameAllowed(host, rules) && !ipAllowed(ip, rules)) refuseHost(host === address ? address : `${host} (${address})`);
}
