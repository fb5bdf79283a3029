// A connection is a named, typed way to reach an outside system. Every connection is
// carried as one URL (credentials included, decrypted only in memory) plus options,
// whatever its source: environment (KHAOSFLOW_CONNECTION_<NAME>=<url>), the database
// (secret fields in the vault) or a file in $KHAOSFLOW_HOME.

export const CONNECTION_TYPES = ['postgres', 'mysql', 'mongodb', 'smtp', 'imap', 's3', 'ftp', 'sftp', 'http'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

export interface Connection {
  name: string;
  type: ConnectionType;
  /** e.g. postgres://u:p@host:5432/db, smtp://u:p@host:587, s3://KEY:SECRET@host:9000/?region=us-east-1&path_style=true&tls=false */
  url: string;
  /** Extra settings that do not fit the URL (e.g. an SFTP private key). */
  options: Record<string, string>;
  source: 'env' | 'database' | 'file' | 'builtin';
}

export interface ConnectionResolver {
  /**
   * The connection a step uses: `name` when the step gives one, else the one named
   * `default` of that type. Throws a NonRetryableError naming the connection to
   * create when there is none.
   */
  resolve(type: ConnectionType, name?: string): Promise<Connection>;
  /** Like resolve, but null instead of an error (database steps fall back to KhaosFlow's own database). */
  find(type: ConnectionType, name?: string): Promise<Connection | null>;
  /** A connection by name whatever its type (a database step's dialect follows the connection it names). */
  get(name: string): Promise<Connection | null>;
}

/** The type a connection URL's scheme names (smtps -> smtp, ftps -> ftp, https -> http, postgresql -> postgres, mariadb -> mysql). */
export function connectionTypeOfUrl(url: string): ConnectionType | null {
  const scheme = /^([a-z0-9+.-]+):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      return 'postgres';
    case 'mysql':
    case 'mariadb':
      return 'mysql';
    case 'mongodb':
    case 'mongodb+srv':
      return 'mongodb';
    case 'smtp':
    case 'smtps':
      return 'smtp';
    case 'imap':
    case 'imaps':
      return 'imap';
    case 's3':
      return 's3';
    case 'ftp':
    case 'ftps':
      return 'ftp';
    case 'sftp':
      return 'sftp';
    case 'http':
    case 'https':
      return 'http';
    default:
      return null;
  }
}
