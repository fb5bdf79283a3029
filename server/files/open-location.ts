// Turns a step's path (and its `connection:`) into an open store and the path within it.
// Which credentials reach a remote path:
//   s3://bucket/key  the step's connection, else the connection named "s3", else the
//                    s3 connection named "default";
//   ftp:// sftp://   user:password written in the URL, else the step's connection,
//                    else the one named "ftp"/"sftp", else the default of that type
//                    (anonymous FTP when there is none). A connection's credentials
//                    are only sent to the host its URL names: a path built from
//                    webhook data cannot redirect them elsewhere.
import type { ActionContext } from '../core/action.js';
import type { Connection } from '../connections/types.js';
import { connectionSecretValues, ftpOptionsFromUrl, sftpOptionsFromUrl } from '../connections/urls.js';
import { NonRetryableError } from '../core/errors.js';
import { openFtpStore } from './ftp-store.js';
import { localStore } from './local-store.js';
import { displayLocation, parseLocation, type FileLocation, type RemoteKind } from './location.js';
import { confineToRoots, fileRoots } from './roots.js';
import { s3ClientFor } from '../connectors/s3-clients.js';
import { s3Store } from './s3-store.js';
import { openSftpStore } from './sftp-store.js';
import type { FileStore } from './store.js';

export interface OpenedLocation {
  store: FileStore;
  /** The path inside the store (for local files: real and confined to the roots). */
  path: string;
  /** Equal for two locations on the same storage with the same credentials (a move can rename). */
  storage: string;
}

const REMOTE_KINDS: readonly string[] = ['s3', 'ftp', 'sftp'];

async function namedConnection(ctx: ActionContext, name: string): Promise<Connection & { type: RemoteKind }> {
  const connection = await ctx.connections.get(name);
  if (!connection) {
    throw new NonRetryableError(
      `No connection named "${name}". Create it in the console or with KHAOSFLOW_CONNECTION_${name.toUpperCase()}=<s3://, ftp:// or sftp:// URL>.`,
    );
  }
  if (!REMOTE_KINDS.includes(connection.type)) {
    throw new NonRetryableError(`Connection "${name}" is a ${connection.type} connection; file actions take s3, ftp or sftp connections.`);
  }
  return connection as Connection & { type: RemoteKind };
}

/** The connection named like the storage ("s3", "ftp", "sftp") when it is of that type, else the default of that type. */
async function conventionalConnection(ctx: ActionContext, kind: RemoteKind): Promise<Connection | null> {
  const byName = await ctx.connections.get(kind);
  if (byName && byName.type === kind) return byName;
  return ctx.connections.find(kind);
}

function useSecrets(ctx: ActionContext, connection: Connection | null, location: FileLocation): void {
  if (connection) for (const value of connectionSecretValues(connection)) ctx.addSecret(value);
  if ('password' in location && location.password) ctx.addSecret(location.password);
}

async function openS3(
  ctx: ActionContext,
  location: Extract<FileLocation, { kind: 's3' }>,
  given: Connection | null,
  text: string,
): Promise<OpenedLocation> {
  const connection = given ?? (await conventionalConnection(ctx, 's3'));
  if (!connection) {
    throw new NonRetryableError(
      `No S3 connection for "${text}". Create one named "s3" (KHAOSFLOW_CONNECTION_S3=s3://KEY:SECRET@host:port/?region=us-east-1) or name one on the step with connection: <name>.`,
    );
  }
  useSecrets(ctx, connection, location);
  const { client, bucket: connectionBucket } = s3ClientFor(connection.url);
  const bucket = location.bucket ?? connectionBucket;
  if (!bucket)
    throw new NonRetryableError(
      `"${text}" names no bucket, and connection "${connection.name}" has none in its URL; write s3://<bucket>/<key>.`,
    );
  const endpoint = new URL(connection.url).host || 'AWS S3';
  return { store: s3Store(client, bucket, endpoint), path: location.key, storage: `s3|${connection.url}|${bucket}` };
}

async function openFtpOrSftp(
  ctx: ActionContext,
  location: Extract<FileLocation, { kind: 'ftp' | 'sftp' }>,
  given: Connection | null,
  text: string,
): Promise<OpenedLocation> {
  const kind = location.kind;
  const connection = location.user !== undefined ? null : (given ?? (await conventionalConnection(ctx, kind)));
  useSecrets(ctx, connection, location);
  const fromUrl = location.host ? `${kind}://${location.host}${location.port ? `:${location.port}` : ''}` : null;
  if (!connection && !fromUrl)
    throw new NonRetryableError(
      `"${text}" names no host and there is no ${kind} connection; write ${kind}://host/path or name a connection.`,
    );
  if (!connection && kind === 'sftp' && !location.password) {
    throw new NonRetryableError(
      `No sftp connection for "${text}". Create one named "sftp" (KHAOSFLOW_CONNECTION_SFTP=sftp://user:password@host:22) or name one on the step with connection: <name>.`,
    );
  }
  const url = new URL(connection?.url ?? fromUrl!);
  if (connection && location.host) {
    const wantedPort = String(location.port ?? (kind === 'sftp' ? 22 : 21));
    const hasPort = url.port || (kind === 'sftp' ? '22' : '21');
    if (url.hostname.toLowerCase() !== location.host.toLowerCase() || hasPort !== wantedPort) {
      throw new NonRetryableError(
        `"${text}" names host ${location.host}:${wantedPort}, but connection "${connection.name}" is for ${url.hostname}:${hasPort}; its credentials are only sent to its own host. Use a path on that host, or a connection for ${location.host}.`,
      );
    }
  }
  if (!connection) {
    if (location.user !== undefined) url.username = encodeURIComponent(location.user);
    if (location.password !== undefined) url.password = encodeURIComponent(location.password);
  }
  const secure = location.secure || url.protocol === 'ftps:';
  const base = `${kind === 'ftp' && secure ? 'ftps' : kind}://${url.username ? `${url.username}@` : ''}${url.host}`;
  const storage = `${kind}|${url.host}|${url.username}`;
  if (kind === 'ftp') {
    if (secure && url.protocol === 'ftp:') url.protocol = 'ftps:';
    return { store: await openFtpStore({ options: ftpOptionsFromUrl(url.toString()), base }), path: location.path, storage };
  }
  return {
    store: await openSftpStore({ options: sftpOptionsFromUrl(url.toString(), connection?.options ?? {}), base }),
    path: location.path,
    storage,
  };
}

/**
 * Opens the storage `text` names for one step; close the store when done.
 * @example const { store, path } = await openLocation(ctx, 's3://backups/a.gz', undefined);
 */
export async function openLocation(ctx: ActionContext, text: string, connectionName: string | undefined): Promise<OpenedLocation> {
  const given = connectionName ? await namedConnection(ctx, connectionName) : null;
  const location = parseLocation(text, given?.type);
  if (given && location.kind !== 'local' && location.kind !== given.type) {
    throw new NonRetryableError(`"${text}" is a ${location.kind} path, but connection "${given.name}" is a ${given.type} connection.`);
  }
  switch (location.kind) {
    case 'local': {
      const roots = fileRoots(process.env, ctx.services.config.home);
      return { store: localStore(roots), path: await confineToRoots(location.path, roots), storage: 'local' };
    }
    case 's3':
      return openS3(ctx, location, given, text);
    default:
      return openFtpOrSftp(ctx, location, given, displayLocation(location));
  }
}
