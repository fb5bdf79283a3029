// Connection URLs: hiding and splitting out their secret parts, and turning them into
// the options each client library takes. Actions and triggers use these helpers so a
// URL means the same thing to `connections test` as to a step.
import type { Connection } from './types.js';

/** Query parameters and options holding credentials (kept in the vault, hidden in listings). */
export const SECRET_FIELD = /(password|passwd|secret|token|passphrase|private_?key|api[_-]?key|authorization|cookie)/i;

const decode = (part: string) => decodeURIComponent(part);
const flag = (params: URLSearchParams, name: string) => params.get(name)?.toLowerCase();
const isFalse = (v: string | undefined) => v === 'false' || v === '0' || v === 'no';
const isTrue = (v: string | undefined) => v === 'true' || v === '1' || v === 'yes';

function parse(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new Error(`"${redactConnectionUrl(url)}" is not a valid URL; write it as scheme://user:password@host:port/...`);
  }
}

/** TLS options from `?reject_unauthorized=false` (self-signed servers). */
function tlsFrom(params: URLSearchParams): { rejectUnauthorized?: boolean } {
  return isFalse(flag(params, 'reject_unauthorized')) ? { rejectUnauthorized: false } : {};
}

/**
 * The URL with its password and secret-looking query parameters replaced by `***`.
 * @example redactConnectionUrl('postgres://app:s3cret@db/app') // 'postgres://app:***@db/app'
 */
export function redactConnectionUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
  if (u.password) u.password = '***';
  for (const key of [...u.searchParams.keys()]) if (SECRET_FIELD.test(key)) u.searchParams.set(key, '***');
  return u.toString();
}

export interface SplitConnection {
  /** The URL without password or secret query parameters: safe to store as settings. */
  url: string;
  options: Record<string, string>;
  /** Field -> value: `password`, `query.<name>`, `option.<name>`. */
  secrets: Record<string, string>;
}

/** Separates what goes into the vault from what can be stored and shown as is. */
export function splitConnectionSecrets(url: string, options: Record<string, string> = {}): SplitConnection {
  const u = parse(url);
  const secrets: Record<string, string> = {};
  if (u.password) {
    secrets.password = decode(u.password);
    u.password = '';
  }
  for (const [key, value] of [...u.searchParams.entries()]) {
    if (!SECRET_FIELD.test(key)) continue;
    secrets[`query.${key}`] = value;
    u.searchParams.delete(key);
  }
  const plain: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) {
    if (SECRET_FIELD.test(key)) secrets[`option.${key}`] = value;
    else plain[key] = value;
  }
  return { url: u.toString(), options: plain, secrets };
}

/** The inverse of splitConnectionSecrets. */
export function joinConnectionSecrets(
  url: string,
  options: Record<string, string>,
  secrets: Record<string, string>,
): { url: string; options: Record<string, string> } {
  const u = parse(url);
  const joined = { ...options };
  for (const [field, value] of Object.entries(secrets)) {
    if (field === 'password') u.password = encodeURIComponent(value);
    else if (field.startsWith('query.')) u.searchParams.set(field.slice(6), value);
    else if (field.startsWith('option.')) joined[field.slice(7)] = value;
  }
  return { url: u.toString(), options: joined };
}

/** The values of a connection a run must redact (password, secret parameters and options). */
export function connectionSecretValues(connection: Pick<Connection, 'url' | 'options'>): string[] {
  return Object.values(splitConnectionSecrets(connection.url, connection.options).secrets);
}

/** host:port as a person would write it, for messages. */
export function connectionTarget(url: string): string {
  const u = parse(url);
  return u.port ? `${u.hostname}:${u.port}` : u.hostname;
}

export function mysqlOptionsFromUrl(url: string) {
  const u = parse(url);
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decode(u.username) || undefined,
    password: u.password ? decode(u.password) : undefined,
    database: decode(u.pathname.replace(/^\//, '')) || undefined,
    ...(isTrue(flag(u.searchParams, 'ssl')) ? { ssl: tlsFrom(u.searchParams) } : {}),
  };
}

/** nodemailer transport options: smtps:// is TLS from the start (465), smtp:// upgrades with STARTTLS (587). */
export function smtpOptionsFromUrl(url: string) {
  const u = parse(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: Number(u.port || (secure ? 465 : 587)),
    secure,
    ...(u.username ? { auth: { user: decode(u.username), pass: decode(u.password) } } : {}),
    ...(isTrue(flag(u.searchParams, 'require_tls')) ? { requireTLS: true } : {}),
    ...(isTrue(flag(u.searchParams, 'ignore_tls')) ? { ignoreTLS: true } : {}),
    tls: tlsFrom(u.searchParams),
  };
}

/** imapflow options: imaps:// (993) or imap:// (143, STARTTLS when offered). */
export function imapOptionsFromUrl(url: string) {
  const u = parse(url);
  const secure = u.protocol === 'imaps:';
  return {
    host: u.hostname,
    port: Number(u.port || (secure ? 993 : 143)),
    secure,
    auth: { user: decode(u.username), pass: decode(u.password) },
    tls: tlsFrom(u.searchParams),
    logger: false as const,
  };
}

/**
 * S3 client settings from `s3://KEY:SECRET@host:port/bucket?region=..&path_style=true&tls=false`.
 * A host ending in amazonaws.com means AWS itself (no endpoint override).
 */
export function parseS3Url(url: string) {
  const u = parse(url);
  const params = u.searchParams;
  const aws = u.hostname.endsWith('amazonaws.com');
  const scheme = isFalse(flag(params, 'tls')) ? 'http' : 'https';
  return {
    bucket: decode(u.pathname.replace(/^\/+|\/+$/g, '')) || undefined,
    client: {
      region: params.get('region') ?? 'us-east-1',
      ...(aws ? {} : { endpoint: `${scheme}://${u.host}` }),
      forcePathStyle: isTrue(flag(params, 'path_style')),
      credentials: { accessKeyId: decode(u.username), secretAccessKey: decode(u.password) },
      // S3-compatible servers (MinIO, s3rver, Ceph) reject the SDK's default checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED' as const,
      responseChecksumValidation: 'WHEN_REQUIRED' as const,
    },
  };
}

/** basic-ftp access options: ftps:// is explicit TLS (AUTH TLS); add `?implicit=true` for port-990 servers. */
export function ftpOptionsFromUrl(url: string) {
  const u = parse(url);
  const tls = u.protocol === 'ftps:';
  return {
    host: u.hostname,
    port: Number(u.port || 21),
    user: decode(u.username) || 'anonymous',
    password: u.password ? decode(u.password) : '',
    secure: tls ? (isTrue(flag(u.searchParams, 'implicit')) ? ('implicit' as const) : true) : false,
    secureOptions: tlsFrom(u.searchParams),
  };
}

/** ssh2 connect options; a private key comes from the connection's `privateKey` option (and `passphrase`). */
export function sftpOptionsFromUrl(url: string, options: Record<string, string> = {}) {
  const u = parse(url);
  return {
    host: u.hostname,
    port: Number(u.port || 22),
    username: decode(u.username),
    ...(u.password ? { password: decode(u.password) } : {}),
    ...(options.privateKey ? { privateKey: options.privateKey } : {}),
    ...(options.passphrase ? { passphrase: options.passphrase } : {}),
  };
}

/**
 * An http connection is a base URL; user:password in it become a Basic Authorization
 * header, and options named `header.<Name>` become headers.
 */
export function httpBaseFromUrl(url: string, options: Record<string, string> = {}): { baseUrl: string; headers: Record<string, string> } {
  const u = parse(url);
  const headers: Record<string, string> = {};
  if (u.username || u.password) {
    headers.authorization = `Basic ${Buffer.from(`${decode(u.username)}:${decode(u.password)}`).toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  for (const [key, value] of Object.entries(options)) if (key.startsWith('header.')) headers[key.slice(7).toLowerCase()] = value;
  return { baseUrl: u.toString(), headers };
}
