// Connection pools of the databases workflows reach, one per connection URL, opened on
// first use and kept: a step per webhook must not pay a TCP + TLS + auth handshake.
// When a connection's URL changes (a password rotated in the console), the pool of the
// old URL is closed once no other connection name uses it. closeDatabasePools() is
// for shutdown (registered with the node's Lifecycle).
import { MongoClient } from 'mongodb';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { mysqlOptionsFromUrl } from '../connections/urls.js';

type Handle = { kind: 'postgres'; pool: pg.Pool } | { kind: 'mysql'; pool: mysql.Pool } | { kind: 'mongodb'; client: Promise<MongoClient> };

const byUrl = new Map<string, Handle>();
const urlByName = new Map<string, string>();

/** Idle connections close after this long; the pool object itself stays. */
const IDLE_MS = 30_000;
const MAX_CONNECTIONS = 5;

async function closeHandle(handle: Handle): Promise<void> {
  if (handle.kind === 'mongodb') await (await handle.client.catch(() => null))?.close();
  else await handle.pool.end();
}

function open(kind: Handle['kind'], url: string): Handle {
  switch (kind) {
    case 'postgres': {
      const pool = new pg.Pool({
        connectionString: url,
        max: MAX_CONNECTIONS,
        idleTimeoutMillis: IDLE_MS,
        application_name: 'khaosflow-step',
      });
      // A dropped idle connection must not crash the process; the next checkout reconnects.
      pool.on('error', () => undefined);
      return { kind, pool };
    }
    case 'mysql':
      return {
        kind,
        pool: mysql.createPool({
          ...mysqlOptionsFromUrl(url),
          connectionLimit: MAX_CONNECTIONS,
          idleTimeout: IDLE_MS,
          // DATETIME has no time zone; passing it through as written avoids a shift by the server's zone.
          dateStrings: true,
        }),
      };
    case 'mongodb': {
      const client = new MongoClient(url, { maxPoolSize: MAX_CONNECTIONS, maxIdleTimeMS: IDLE_MS }).connect();
      // A failed connect is retried by the next step, not cached.
      client.catch(() => byUrl.delete(url));
      return { kind, client };
    }
  }
}

function handleFor(name: string, kind: Handle['kind'], url: string): Handle {
  const previous = urlByName.get(name);
  urlByName.set(name, url);
  if (previous && previous !== url && ![...urlByName.values()].includes(previous)) {
    const old = byUrl.get(previous);
    byUrl.delete(previous);
    // In-flight queries on the old pool finish; end() waits for their clients.
    if (old) void closeHandle(old).catch(() => undefined);
  }
  let handle = byUrl.get(url);
  if (!handle || handle.kind !== kind) {
    handle = open(kind, url);
    byUrl.set(url, handle);
  }
  return handle;
}

/** @example const pool = postgresPool({ name: 'postgres_main', url }); await pool.query('select 1'); */
export function postgresPool(connection: { name: string; url: string }): pg.Pool {
  return (handleFor(connection.name, 'postgres', connection.url) as Extract<Handle, { kind: 'postgres' }>).pool;
}

export function mysqlPool(connection: { name: string; url: string }): mysql.Pool {
  return (handleFor(connection.name, 'mysql', connection.url) as Extract<Handle, { kind: 'mysql' }>).pool;
}

export function mongoClient(connection: { name: string; url: string }): Promise<MongoClient> {
  return (handleFor(connection.name, 'mongodb', connection.url) as Extract<Handle, { kind: 'mongodb' }>).client;
}

/** Closes every pool workflows opened; call at shutdown, after the worker stopped. */
export async function closeDatabasePools(): Promise<void> {
  const handles = [...byUrl.values()];
  byUrl.clear();
  urlByName.clear();
  await Promise.allSettled(handles.map(closeHandle));
}
