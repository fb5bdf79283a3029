// IP addresses as bytes, so that every spelling of an address (IPv4, IPv6, IPv4-mapped
// IPv6 in dotted or hex form, NAT64) is compared the same way. A refusal that only
// matched the text "169.254.169.254" would let "::ffff:a9fe:a9fe" through.
import net from 'node:net';

export interface IpAddress {
  version: 4 | 6;
  bytes: Uint8Array;
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (const [i, part] of parts.entries()) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    bytes[i] = Number(part);
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | null {
  let body = text.replace(/^\[|\]$/g, '').replace(/%.*$/, ''); // brackets from URLs, zone ids
  const bytes = new Uint8Array(16);
  let tail: Uint8Array | null = null;
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    tail = parseIpv4(body.slice(lastColon + 1));
    if (!tail) return null;
    body = `${body.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  for (const [i, group] of all.entries()) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return null;
    const value = parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  }
  if (tail) bytes.set(tail, 12);
  return bytes;
}

/** Parses an IP literal (URL brackets allowed); null when `text` is not one. */
export function parseIp(text: string): IpAddress | null {
  const bare = text.replace(/^\[|\]$/g, '');
  const kind = net.isIP(bare.replace(/%.*$/, ''));
  if (kind === 4) {
    const bytes = parseIpv4(bare);
    return bytes ? { version: 4, bytes } : null;
  }
  if (kind === 6) {
    const bytes = parseIpv6(bare);
    return bytes ? { version: 6, bytes } : null;
  }
  return null;
}

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/**
 * The IPv4 address an IPv6 address carries (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible
 * ::a.b.c.d, NAT64 64:ff9b::a.b.c.d), so it is judged like the IPv4 address it reaches.
 */
export function embeddedIpv4(ip: IpAddress): IpAddress | null {
  if (ip.version === 4) return null;
  const b = ip.bytes;
  const zeros10 = b.slice(0, 10).every((x) => x === 0);
  const mapped = zeros10 && b[10] === 0xff && b[11] === 0xff;
  const compatible = zeros10 && b[10] === 0 && b[11] === 0 && !(b[12] === 0 && b[13] === 0 && b[14] === 0 && (b[15] ?? 0) <= 1);
  const nat64 = startsWith(b, [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]);
  return mapped || compatible || nat64 ? { version: 4, bytes: b.slice(12) } : null;
}

/** True when `ip` lies in `network`/`prefix` (same version). */
export function inRange(ip: IpAddress, network: IpAddress, prefix: number): boolean {
  if (ip.version !== network.version) return false;
  for (let bit = 0; bit < prefix; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((ip.bytes[byte]! & mask) !== (network.bytes[byte]! & mask)) return false;
  }
  return true;
}

/** A CIDR such as `10.0.0.0/8`, `fd00::/8` or a single address; null when malformed. */
export function parseCidr(text: string): { network: IpAddress; prefix: number } | null {
  const [address, bits] = text.split('/');
  const network = parseIp(address ?? '');
  if (!network) return null;
  const max = network.version === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { network, prefix };
}
