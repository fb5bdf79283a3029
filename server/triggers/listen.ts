// A LISTEN connection that survives Postgres restarts and killed backends: it
// reconnects forever and reports every (re)connect, because notifications sent while
// the connection was down are lost - the caller treats `onConnected` as "look at
// everything again". A probe query every few seconds finds a connection that died
// silently (a LISTEN socket otherwise waits forever: n8n's "stops after hours").
//
// Not pg-listen: pg-listen 1.7 keeps its reconnect loop running after close() when its
// first connect failed (checked against 1.7.0), leaking a connection once the
// database comes back; this is the same idea in a form we can stop.
import pg from 'pg';
import type { Logger } from '../logger.js';

export interface Listener {
  close(): Promise<void>;
}

export interface ListenOptions {
  connectionString: string;
  channels: string[];
  /** Called with the channel and its payload. */
  onNotification(channel: string, payload: string): void;
  /** Called after the first connect and after every reconnect, once LISTEN is in place. */
  onConnected(): void;
  logger: Logger;
  /** Shown in pg_stat_activity (operators and tests find listeners by it). */
  applicationName: string;
  probeEveryMs?: number;
  retryEveryMs?: number;
}

/**
 * @example const l = startListener({ connectionString, channels: ['khaosflow_events'], onNotification, onConnected, logger, applicationName: 'khaosflow-db-trigger' });
 */
export function startListener(opts: ListenOptions): Listener {
  const probeEveryMs = opts.probeEveryMs ?? 5_000;
  const retryEveryMs = opts.retryEveryMs ?? 500;
  let closed = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  let failures = 0;

  const schedule = (fn: () => void, ms: number) => {
    if (timer) clearTimeout(timer);
    timer = closed ? null : setTimeout(fn, ms);
  };

  const drop = (current: pg.Client) => {
    if (client !== current) return;
    client = null;
    current.removeAllListeners('notification');
    current.end().catch(() => undefined);
    schedule(() => void connect(), retryEveryMs);
  };

  const probe = (current: pg.Client) => {
    schedule(() => {
      current.query('select 1').then(
        () => probe(current),
        () => drop(current),
      );
    }, probeEveryMs);
  };

  const connect = async () => {
    if (closed) return;
    const current = new pg.Client({
      connectionString: opts.connectionString,
      application_name: opts.applicationName,
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    });
    current.on('error', () => drop(current));
    current.on('end', () => drop(current));
    current.on('notification', (n) => opts.onNotification(n.channel, n.payload ?? ''));
    client = current;
    try {
      await current.connect();
      for (const channel of opts.channels) await current.query(`LISTEN ${current.escapeIdentifier(channel)}`);
    } catch (err) {
      if (failures++ % 20 === 0)
        opts.logger.warn(
          { err: (err as Error).message, listener: opts.applicationName },
          'cannot LISTEN yet; retrying until the database is back',
        );
      drop(current);
      return;
    }
    if (closed) {
      await current.end().catch(() => undefined);
      return;
    }
    if (failures > 0) opts.logger.info({ listener: opts.applicationName }, 'LISTEN connection is back');
    failures = 0;
    probe(current);
    opts.onConnected();
  };
  void connect();

  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}
