// Services that must run once per cluster (scheduler, database listeners, file
// watchers). Each holds a Postgres advisory lock on a dedicated connection while it
// runs; every process keeps trying to take the locks it does not hold, so when the
// holder dies (its connection closes, the lock is freed) another process takes over.
import type pg from 'pg';
import type { Logger } from './logger.js';

export interface Singleton {
  /** Unique name; hashed into the advisory lock key. */
  name: string;
  /** Starts the service; the returned function stops it. */
  start(): Promise<() => Promise<void>>;
}

export interface SingletonHost {
  /** Names of the singletons this process currently runs. */
  held(): string[];
  stop(): Promise<void>;
}

interface Slot {
  singleton: Singleton;
  client: pg.PoolClient | null;
  stopService: (() => Promise<void>) | null;
}

export function startSingletons(opts: { pool: pg.Pool; logger: Logger; singletons: Singleton[]; retryEveryMs?: number }): SingletonHost {
  const slots: Slot[] = opts.singletons.map((singleton) => ({ singleton, client: null, stopService: null }));
  let stopped = false;
  let busy: Promise<void> = Promise.resolve();

  const release = async (slot: Slot) => {
    const stop = slot.stopService;
    slot.stopService = null;
    if (stop) await stop().catch((err) => opts.logger.error({ err, singleton: slot.singleton.name }, 'singleton failed to stop cleanly'));
    const client = slot.client;
    slot.client = null;
    if (client) {
      await client.query("select pg_advisory_unlock(hashtext('khaosflow:' || $1))", [slot.singleton.name]).catch(() => undefined);
      client.release();
    }
  };

  const tryTake = async (slot: Slot) => {
    if (slot.client || stopped) return;
    const client = await opts.pool.connect();
    let taken = false;
    try {
      const { rows } = await client.query<{ ok: boolean }>("select pg_try_advisory_lock(hashtext('khaosflow:' || $1)) as ok", [
        slot.singleton.name,
      ]);
      taken = rows[0]?.ok === true;
    } finally {
      if (!taken) client.release();
    }
    if (!taken) return;
    slot.client = client;
    // Losing the lock's connection means another process may take over: stop ours.
    client.once('error', () => {
      void release(slot);
    });
    try {
      slot.stopService = await slot.singleton.start();
      opts.logger.info({ singleton: slot.singleton.name }, 'singleton started on this process');
    } catch (err) {
      opts.logger.error({ err, singleton: slot.singleton.name }, 'singleton failed to start; another process (or this one) will retry');
      await release(slot);
    }
  };

  const sweep = async () => {
    for (const slot of slots)
      await tryTake(slot).catch((err) => opts.logger.warn({ err, singleton: slot.singleton.name }, 'could not check singleton lock'));
  };

  busy = sweep();
  const timer = setInterval(() => {
    if (!stopped) busy = busy.then(sweep);
  }, opts.retryEveryMs ?? 5_000);
  timer.unref();

  return {
    held: () => slots.filter((s) => s.client).map((s) => s.singleton.name),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await busy;
      for (const slot of slots) await release(slot);
    },
  };
}

/**
 * A singleton that runs `round` when it starts and then every `everyMs`; a tick that
 * comes while a round is still going is skipped, so rounds never overlap or pile up.
 * Stopping aborts the signal `round` gets and waits for the round in flight. `round`
 * handles its own errors: a failed round must not stop the rounds after it.
 * @example periodicSingleton('run-retention', 3_600_000, (signal) => sweep(signal))
 */
export function periodicSingleton(name: string, everyMs: number, round: (signal: AbortSignal) => Promise<void>): Singleton {
  return {
    name,
    async start() {
      const stopping = new AbortController();
      let running: Promise<void> | null = null;
      const tick = () => {
        if (running || stopping.signal.aborted) return;
        running = round(stopping.signal).finally(() => {
          running = null;
        });
      };
      const timer = setInterval(tick, everyMs);
      timer.unref();
      tick();
      return async () => {
        stopping.abort();
        clearInterval(timer);
        await running;
      };
    },
  };
}
