// Crash recovery. Every KhaosFlow process writes a heartbeat into khaosflow.workers
// and, on the same tick, releases the Graphile jobs held by processes whose
// heartbeat is stale. A SIGKILLed worker's runs are therefore picked up again
// within STALE_AFTER + one tick, instead of Graphile's default 4 hours.
import os from 'node:os';
import type pg from 'pg';
import type { Logger } from '../logger.js';
import { version } from '../version.js';

export const HEARTBEAT_EVERY_MS = 5_000;
export const STALE_AFTER_MS = 20_000;

export interface Heartbeat {
  /** Writes the heartbeat now (e.g. right after the worker pool got its id). */
  beat(): Promise<void>;
  stop(): Promise<void>;
}

// Two kinds of dead lock holders are released:
// - pools of processes whose heartbeat row went stale (deleted here);
// - pools no fresh heartbeat row names at all, once their lock is older than
//   STALE_AFTER. A process advertises a new pool within one tick, so such a lock
//   belongs to a process that died before its first beat after Graphile started
//   taking jobs (seen in the worker-kills fault test: SIGKILL right after start-up
//   left a local queue of runs locked for Graphile's 4 hours).
const RELEASE_STALE_SQL = `
  with stale as (
    delete from khaosflow.workers
     where heartbeat_at < now() - make_interval(secs => $1::float8 / 1000)
    returning id, graphile_worker_ids
  ), advertised as (
    select coalesce(array_agg(w), '{}') as ids
      from khaosflow.workers, unnest(graphile_worker_ids) w
     where heartbeat_at >= now() - make_interval(secs => $1::float8 / 1000)
  ), unnamed as (
    select coalesce(array_agg(distinct held.locked_by), '{}') as ids
      from (select locked_by, locked_at from graphile_worker._private_jobs where locked_by is not null
            union all
            select locked_by, locked_at from graphile_worker._private_job_queues where locked_by is not null) held,
           advertised
     where held.locked_at < now() - make_interval(secs => $1::float8 / 1000)
       and held.locked_by <> all(advertised.ids)
  ), ids as (
    select coalesce(array_agg(w), '{}') || (select ids from unnamed) as worker_ids
      from stale, unnest(stale.graphile_worker_ids) w
  )
  select (select array_agg(id) from stale) as nodes,
         (select ids from unnamed) as unnamed,
         graphile_worker.force_unlock_workers(ids.worker_ids) is null as done
    from ids`;

// Safety net for call_workflow: a parent that parked itself in the instant its child
// finished would otherwise wait forever. Cheap: it reads only active runs.
const WAKE_ORPHANED_PARENTS_SQL = `
  with woken as (
    update khaosflow.runs p set waiting_for = null
      from khaosflow.runs c
     where p.status = 'waiting' and p.waiting_for = c.id and c.status in ('succeeded', 'failed', 'cancelled')
    returning p.id, p.queue_name, p.priority
  )
  select count(khaosflow.add_run_job(id, priority))::int as n from woken`;

/**
 * Starts heartbeating for this process.
 * @example const hb = startHeartbeat({ pool, logger, nodeId, kind: 'worker', poolIds: () => worker.poolIds() });
 */
export function startHeartbeat(opts: {
  pool: pg.Pool;
  logger: Logger;
  nodeId: string;
  kind: string;
  poolIds: () => string[];
  everyMs?: number;
  staleAfterMs?: number;
}): Heartbeat {
  const everyMs = opts.everyMs ?? HEARTBEAT_EVERY_MS;
  const staleAfterMs = opts.staleAfterMs ?? STALE_AFTER_MS;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();

  const beat = async () => {
    await opts.pool.query(
      `insert into khaosflow.workers (id, hostname, pid, kind, version, graphile_worker_ids, heartbeat_at)
       values ($1, $2, $3, $4, $5, $6, now())
       on conflict (id) do update set graphile_worker_ids = excluded.graphile_worker_ids, heartbeat_at = now()`,
      [opts.nodeId, os.hostname(), process.pid, opts.kind, version, opts.poolIds()],
    );
  };

  const tick = async () => {
    try {
      await beat();
      const { rows } = await opts.pool.query<{ nodes: string[] | null; unnamed: string[] }>(RELEASE_STALE_SQL, [staleAfterMs]);
      const nodes = rows[0]?.nodes;
      if (nodes?.length) opts.logger.warn({ nodes }, 'released the runs of KhaosFlow processes that stopped heartbeating');
      const unnamed = rows[0]?.unnamed;
      if (unnamed?.length) opts.logger.warn({ pools: unnamed }, 'released runs locked by job runners no live KhaosFlow process names');
      const woken = await opts.pool.query<{ n: number }>(WAKE_ORPHANED_PARENTS_SQL);
      if (woken.rows[0]?.n) opts.logger.info({ runs: woken.rows[0].n }, 'woke parent runs whose child run had already finished');
    } catch (err) {
      // A missed beat is harmless unless it repeats for STALE_AFTER; the database
      // being briefly away (restart, failover) must not stop the process.
      opts.logger.warn({ err }, 'heartbeat failed; retrying on the next tick');
    }
  };

  const timer = setInterval(() => {
    if (!stopped) inFlight = tick();
  }, everyMs);
  timer.unref();
  inFlight = tick();

  return {
    beat: () => beat(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
      await opts.pool.query('delete from khaosflow.workers where id = $1', [opts.nodeId]).catch(() => undefined);
    },
  };
}
