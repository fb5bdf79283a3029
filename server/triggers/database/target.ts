// One target database of database triggers: a LISTEN connection that wakes the
// drainer, a small pool for draining and installing, and a sweep that drains even
// when no notification came (one sent while the LISTEN connection was being replaced
// is lost; the events are not, they are rows). Workflows on the same target share it.
import pg from 'pg';
import type { Logger } from '../../logger.js';
import { startListener, type Listener } from '../listen.js';
import { serialTask, type SerialTask } from '../serial-task.js';
import { drainEvents } from './drain.js';
import { EVENTS_CHANNEL } from './install.js';

export interface TriggerTarget {
  /** Connection name; null for KhaosFlow's own database. */
  connection: string | null;
  url: string;
  pool: pg.Pool;
  /** Workflows whose events this target turns into runs. */
  setWorkflows(slugs: string[]): void;
  /** Drains now; resolves when a drain that started after the call is done. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export const TARGET_APPLICATION_NAME = 'khaosflow-db-trigger';

export function openTriggerTarget(opts: {
  connection: string | null;
  url: string;
  /** KhaosFlow's pool; also the target's when connection is null. */
  homePool: pg.Pool;
  logger: Logger;
  sweepEveryMs: number;
}): TriggerTarget {
  const home = opts.connection === null;
  const pool = home
    ? opts.homePool
    : new pg.Pool({ connectionString: opts.url, max: 2, application_name: TARGET_APPLICATION_NAME, connectionTimeoutMillis: 10_000 });
  if (!home) {
    // A restart of the target database must not crash KhaosFlow: the pool replaces dead clients.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
  }
  const where = opts.connection ?? 'KhaosFlow database';
  let slugs: string[] = [];
  let failing = false;
  const drainTask: SerialTask = serialTask(
    `database trigger drain (${where})`,
    async () => {
      try {
        const n = await drainEvents({ pool, home, connection: opts.connection }, opts.homePool, slugs);
        if (n > 0) opts.logger.debug({ connection: where, events: n }, 'database events turned into runs');
        if (failing) opts.logger.info({ connection: where }, 'database trigger events drain again');
        failing = false;
      } catch (err) {
        // Left in place, the events are drained on the next notification, reconnect or sweep.
        if (!failing)
          opts.logger.warn({ err: (err as Error).message, connection: where }, 'cannot drain database trigger events yet; retrying');
        failing = true;
      }
    },
    opts.logger,
  );
  const listener: Listener = startListener({
    connectionString: opts.url,
    channels: [EVENTS_CHANNEL],
    onNotification: () => void drainTask.request(),
    onConnected: () => void drainTask.request(),
    logger: opts.logger,
    applicationName: TARGET_APPLICATION_NAME,
  });
  const sweep = setInterval(() => void drainTask.request(), opts.sweepEveryMs);
  sweep.unref();

  return {
    connection: opts.connection,
    url: opts.url,
    pool,
    setWorkflows(next) {
      const added = next.some((s) => !slugs.includes(s));
      slugs = [...next];
      if (added) void drainTask.request();
    },
    drain: () => drainTask.request(),
    async close() {
      clearInterval(sweep);
      await listener.close();
      await drainTask.stop();
      if (!home) await pool.end().catch(() => undefined);
    },
  };
}
