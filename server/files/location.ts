// What a file action's path names: a local path, `s3://bucket/key`, `ftp://host/path`
// (`ftps://` for explicit TLS) or `sftp://host/path`. A path without a scheme is local,
// unless the step names an s3/ftp/sftp connection: then it is a path on that storage.
// Paths are taken as written (no percent-decoding): `s3://b/a%20b` is the key "a%20b".
import { NonRetryableError } from '../core/errors.js';

export type RemoteKind = 's3' | 'ftp' | 'sftp';

export type FileLocation =
  | { kind: 'local'; path: string }
  /** bucket undefined: the bucket of the connection's URL. */
  | { kind: 's3'; bucket: string | undefined; key: string }
  | {
      kind: 'ftp' | 'sftp';
      /** undefined: the connection's host. */
      host: string | undefined;
      port: number | undefined;
      user: string | undefined;
      password: string | undefined;
      /** ftps:// in the path. */
      secure: boolean;
      path: string;
    };

const REMOTE = /^(s3|ftps?|sftp):\/\/([^/]*)(\/.*)?$/i;

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Paths are often built from webhook data (`uploads/{{trigger.data.name}}`), so a `..`
 * segment is refused on every storage, as it is for local paths: it would climb out of
 * the folder the workflow names.
 */
function refuseParentSegments(text: string, path: string): void {
  if (path.split(/[\\/]+/).includes('..')) {
    throw new NonRetryableError(`The path "${text}" contains "..", which file actions refuse; write the full path of the file.`);
  }
}

/**
 * @example parseLocation('s3://backups/daily.sql.gz') // { kind: 's3', bucket: 'backups', key: 'daily.sql.gz' }
 * @example parseLocation('reports/a.csv', 'sftp') // { kind: 'sftp', host: undefined, ..., path: 'reports/a.csv' }
 */
export function parseLocation(text: string, connectionKind?: RemoteKind): FileLocation {
  if (/^file:\/\//i.test(text)) return { kind: 'local', path: text.replace(/^file:\/\//i, '') || '/' };
  const match = REMOTE.exec(text);
  if (!match) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
      throw new NonRetryableError(
        `"${text.split('/')[0]}//" is not a storage file actions know; use a local path, s3://bucket/key, ftp://host/path or sftp://host/path.`,
      );
    }
    if (!connectionKind) return { kind: 'local', path: text };
    refuseParentSegments(text, text);
    if (connectionKind === 's3') return { kind: 's3', bucket: undefined, key: text.replace(/^\/+/, '') };
    return { kind: connectionKind, host: undefined, port: undefined, user: undefined, password: undefined, secure: false, path: text };
  }
  const scheme = match[1]!.toLowerCase();
  const authority = match[2]!;
  const rest = match[3] ?? '/';
  refuseParentSegments(text, rest);
  if (scheme === 's3') {
    if (!authority) throw new NonRetryableError(`"${text}" names no bucket; write s3://<bucket>/<key>.`);
    return { kind: 's3', bucket: authority, key: rest.replace(/^\/+/, '') };
  }
  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? '' : authority.slice(0, at);
  const hostport = at === -1 ? authority : authority.slice(at + 1);
  const colon = userinfo.indexOf(':');
  const portMatch = /^(.*?)(?::(\d+))?$/.exec(hostport)!;
  return {
    kind: scheme === 'sftp' ? 'sftp' : 'ftp',
    host: portMatch[1] || undefined,
    port: portMatch[2] ? Number(portMatch[2]) : undefined,
    user: userinfo ? decode(colon === -1 ? userinfo : userinfo.slice(0, colon)) : undefined,
    password: colon === -1 ? undefined : decode(userinfo.slice(colon + 1)),
    secure: scheme === 'ftps',
    path: rest,
  };
}

/** The location as shown in outputs and messages: never with a password. */
export function displayLocation(location: FileLocation): string {
  switch (location.kind) {
    case 'local':
      return location.path;
    case 's3':
      return `s3://${location.bucket ?? '<connection bucket>'}/${location.key}`;
    default: {
      const scheme = location.kind === 'ftp' && location.secure ? 'ftps' : location.kind;
      const user = location.user ? `${encodeURIComponent(location.user)}@` : '';
      return `${scheme}://${user}${location.host ?? ''}${location.port ? `:${location.port}` : ''}${location.path.startsWith('/') ? '' : '/'}${location.path}`;
    }
  }
}
