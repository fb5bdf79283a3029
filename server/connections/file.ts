// Connections from $KHAOSFLOW_HOME/connections.yaml, for GitOps: the file can be
// committed because it holds references to secrets, not secrets:
//
//   postgres_main: postgres://app:${secret:PG_PASSWORD}@db.internal:5432/app
//   files:
//     url: sftp://deploy@files.internal
//     options:
//       privateKey: ${secret:DEPLOY_KEY}
//
// `${secret:NAME}` is replaced when the connection is used, URL-encoded inside a URL
// (unless the reference is the whole URL, which then needs `type: postgres` beside
// it) and as is in options. The file is re-read when it changes.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import type { SecretStore } from '../secrets/types.js';
import { CONNECTION_NAME } from './store.js';
import { CONNECTION_TYPES, connectionTypeOfUrl, type Connection, type ConnectionType } from './types.js';

const SECRET_REF = /\$\{secret:([A-Za-z_][A-Za-z0-9_]*)\}/g;
const WHOLE_SECRET = /^\$\{secret:[A-Za-z_][A-Za-z0-9_]*\}$/;

export interface FileConnection {
  name: string;
  type: ConnectionType;
  /** As written, `${secret:...}` references unresolved. */
  url: string;
  options: Record<string, string>;
}

export class ConnectionFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionFileError';
  }
}

export function connectionsFilePath(home: string): string {
  return path.join(home, 'connections.yaml');
}

/** Parses the file's text; every problem names the file, line and column. */
export function parseConnectionsFile(text: string, file: string): FileConnection[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const at = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return `${file}:${pos.line}:${pos.col}`;
  };
  if (doc.errors.length > 0) throw new ConnectionFileError(`${at(doc.errors[0]!.pos[0])}: ${doc.errors[0]!.message}`);
  if (doc.contents === null) return [];
  if (!isMap(doc.contents)) throw new ConnectionFileError(`${file}:1:1: expected a mapping of connection names to URLs`);
  const out: FileConnection[] = [];
  for (const pair of doc.contents.items) {
    const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
    const value = isNode(pair.value) ? (pair.value.toJS(doc) as unknown) : pair.value;
    const keyAt = at(isNode(pair.key) ? pair.key.range?.[0] : undefined);
    const where = at(isNode(pair.value) ? pair.value.range?.[0] : undefined);
    if (!CONNECTION_NAME.test(name))
      throw new ConnectionFileError(`${keyAt}: "${name}" is not a valid connection name (lower-case letters, digits, "_" and "-")`);
    const entry = typeof value === 'string' ? { url: value } : (value as { url?: unknown; type?: unknown; options?: unknown } | null);
    if (!entry || typeof entry.url !== 'string')
      throw new ConnectionFileError(
        `${where}: connection "${name}" needs a url (write \`${name}: <url>\` or \`${name}: {url: <url>, options: {...}}\`)`,
      );
    const options = entry.options ?? {};
    if (
      typeof options !== 'object' ||
      Array.isArray(options) ||
      Object.values(options).some((v) => typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
    ) {
      throw new ConnectionFileError(`${where}: the options of connection "${name}" must be a mapping of names to plain values`);
    }
    // A URL that is one secret reference (`${secret:PG_URL}`) shows no scheme: then `type:` says it.
    const declared = CONNECTION_TYPES.find((t) => t === entry.type);
    const type = connectionTypeOfUrl(entry.url) ?? (WHOLE_SECRET.test(entry.url.trim()) ? declared : undefined);
    if (!type)
      throw new ConnectionFileError(
        `${where}: the URL of connection "${name}" has no known scheme (postgres, mysql, mongodb, smtp, imap, s3, ftp, sftp, http); a URL kept whole in a secret needs \`type:\``,
      );
    out.push({ name, type, url: entry.url, options: Object.fromEntries(Object.entries(options).map(([k, v]) => [k, String(v)])) });
  }
  return out;
}

/** Replaces `${secret:NAME}` references; a missing secret is an error naming the connection and the secret. */
export async function materializeFileConnection(entry: FileConnection, secrets: SecretStore, file: string): Promise<Connection> {
  const names = new Set<string>();
  for (const text of [entry.url, ...Object.values(entry.options)]) for (const m of text.matchAll(SECRET_REF)) names.add(m[1]!);
  const values = names.size > 0 ? await secrets.getMany([...names]) : {};
  const fill = (text: string, encode: boolean) =>
    text.replace(SECRET_REF, (_, name: string) => {
      const value = values[name];
      if (value === undefined)
        throw new ConnectionFileError(
          `Connection "${entry.name}" in ${file} uses \${secret:${name}}, but there is no secret "${name}". Create it with \`khaosflow secrets set ${name}\`.`,
        );
      return encode ? encodeURIComponent(value) : value;
    });
  const wholeUrlIsSecret = WHOLE_SECRET.test(entry.url.trim());
  const url = fill(entry.url, !wholeUrlIsSecret);
  const options = Object.fromEntries(Object.entries(entry.options).map(([k, v]) => [k, fill(v, false)]));
  return { name: entry.name, type: connectionTypeOfUrl(url) ?? entry.type, url, options, source: 'file' };
}

/** Reads the file when it changed since the last call; no file means no connections. */
export function connectionsFileReader(file: string): () => FileConnection[] {
  let cached: { mtimeMs: number; size: number; entries: FileConnection[] } | null = null;
  return () => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      cached = null;
      return [];
    }
    if (!cached || cached.mtimeMs !== stat.mtimeMs || cached.size !== stat.size) {
      cached = { mtimeMs: stat.mtimeMs, size: stat.size, entries: parseConnectionsFile(fs.readFileSync(file, 'utf8'), file) };
    }
    return cached.entries;
  };
}
