// One target database of database triggers: a LISTEN connection that wakes the
// drainer, a small pool for draining and installing, and a sweep that drains even
// when no notification came (one sent while the LISTEN connection was being replaced
// is lost; the events are not, they are rows). Workflows on the same target share it.
import pg from 'pg';
import type { Logger } from '../../logger.js';
import { startListener, type Listener } from '../listen.js';
import { serialTask, type SerialTask } from '../serial-task.js';
import { drainEvents, type EventWatch } from './drain.js';
import { EVENTS_CHANNEL } from './install.js';

export interface TriggerTarget {
  /** Connection name; null for KhaosFlow's own database. */
  connection: string | null;
  url: string;
  pool: pg.Pool;
  /** Workflows whose events this target turns into runs. */
  /** What each workflow drained here watches (events from anything else get no run). */
  setWorkflows(watches: EventWatch[]): void;
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
  let watches: EventWatch[] = [];
  let failing = false;
  const drainTask: SerialTask = serialTask(
    `database trigger drain (${where})`,
    async () => {
      try {
        const { runs, refused } = await drainEvents({ pool, home, connection: opts.connection }, opts.homePool, watches);
        if (runs > 0) opts.logger.debug({ connection: where, events: runs }, 'database events turned into runs');
        if (refused > 0)
          opts.logger.warn(
            { connection: where, events: refused },
            'database events not from the table and operation their workflow watches were deleted without a run',
          );
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
      const key = (w: EventWatch) => JSON.stringify([w.slug, w.schema, w.table, [...w.events].sort()]);
      const known = new Set(watches.map(key));
      const added = next.some((w) => !known.has(key(w)));
      watches = [...next];
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
