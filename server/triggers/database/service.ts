// Database triggers as a cluster singleton: keeps the SQL triggers installed in the
// target databases in step with the enabled workflows (install on enable or change,
// remove on disable or when a new version drops the trigger), and runs one drainer
// per target database. Reconciled at start, on every workflow change and every
// `reconcileEveryMs` (which also retries installs that failed because a target was
// unreachable, and reinstalls triggers someone dropped).
import type pg from 'pg';
import { currentWorkflows } from '../../../db/queries/workflow-store.js';
import {
  deleteDbTriggerInstall,
  listDbTriggerInstalls,
  saveDbTriggerInstall,
  type DbTriggerInstall,
} from '../../../db/queries/triggers-database.js';
import type { Services } from '../../services.js';
import type { Singleton } from '../../singletons.js';
import type { DatabaseTrigger, WorkflowDefinition } from '../../workflow/types.js';
import { serialTask } from '../serial-task.js';
import { connectionStringOf, type WorkflowChangeFeed } from '../workflow-changes.js';
import { drainEvents, type EventWatch } from './drain.js';
import { FilterError } from './filter.js';
import { existingTriggers, installDbTrigger, InstallError, uninstallDbTrigger, type InstallSpec } from './install.js';
import { openTriggerTarget, type TriggerTarget } from './target.js';

/** What an installed trigger captures: its events become runs only from there. */
const watchOf = (row: { workflow_slug: string; table_schema: string; table_name: string; events: string[] }): EventWatch => ({
  slug: row.workflow_slug,
  schema: row.table_schema,
  table: row.table_name,
  events: row.events,
});

export interface DatabaseTriggerOptions {
  services: Services;
  feed: WorkflowChangeFeed;
  sweepEveryMs?: number;
  reconcileEveryMs?: number;
}

interface Desired {
  workflowId: number;
  spec: InstallSpec;
  connection: string | null;
}

/** Postgres said no (bad filter, missing table, no permission) vs. could not be reached (retried). */
function unreachable(err: unknown): boolean {
  if (err instanceof InstallError || err instanceof FilterError) return false;
  const code = (err as { code?: string }).code;
  return !code || /^(08|57P|53)/.test(code) || /^E[A-Z]+$/.test(code);
}

function describe(err: unknown): string {
  const e = err as { message?: string; code?: string };
  return `${e.message ?? String(err)}${e.code && !/^E[A-Z]/.test(e.code) ? ` (SQLSTATE ${e.code})` : ''}`;
}

const sameLocation = (row: DbTriggerInstall, want: Desired) =>
  row.connection === want.connection && row.table_schema === want.spec.schema && row.table_name === want.spec.table;
const sameSpec = (row: DbTriggerInstall, want: Desired) =>
  sameLocation(row, want) &&
  (row.filter ?? undefined) === want.spec.filter &&
  [...row.events].sort().join() === [...want.spec.events].sort().join();

export function databaseTriggersSingleton(opts: DatabaseTriggerOptions): Singleton {
  return { name: 'database-triggers', start: () => startDatabaseTriggers(opts) };
}

export async function startDatabaseTriggers(opts: DatabaseTriggerOptions): Promise<() => Promise<void>> {
  const { services } = opts;
  const { db, logger } = services;
  const targets = new Map<string, TriggerTarget>();
  const keyOf = (connection: string | null) => connection ?? '';

  const targetFor = async (connection: string | null): Promise<TriggerTarget> => {
    const existing = targets.get(keyOf(connection));
    if (existing) return existing;
    const url = connection === null ? connectionStringOf(services.pool) : (await services.connections.resolve('postgres', connection)).url;
    const target = openTriggerTarget({ connection, url, homePool: services.pool, logger, sweepEveryMs: opts.sweepEveryMs ?? 5_000 });
    targets.set(keyOf(connection), target);
    return target;
  };

  const withClient = async <T>(target: TriggerTarget, work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await target.pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  };

  /** Removes a workflow's triggers and turns its last captured events into runs; false if the target is unreachable. */
  const remove = async (row: DbTriggerInstall): Promise<boolean> => {
    try {
      const target = await targetFor(row.connection);
      await withClient(target, (c) => uninstallDbTrigger(c, row.table_schema, row.table_name, row.trigger_names));
      await drainEvents({ pool: target.pool, home: row.connection === null, connection: row.connection }, services.pool, [watchOf(row)]);
      await deleteDbTriggerInstall(db, row.workflow_id);
      logger.info({ workflow: row.workflow_slug, table: `${row.table_schema}.${row.table_name}` }, 'database trigger removed');
      return true;
    } catch (err) {
      logger.warn({ err: describe(err), workflow: row.workflow_slug }, 'cannot remove database trigger yet; retrying');
      await saveDbTriggerInstall(db, { ...row, error: `could not remove the trigger: ${describe(err)}`, retryable: true });
      return false;
    }
  };

  /** Installs or replaces; returns the trigger names now in place (the old ones when the install failed). */
  const install = async (want: Desired, row: DbTriggerInstall | undefined): Promise<string[]> => {
    const base = {
      workflow_id: want.workflowId,
      workflow_slug: want.spec.slug,
      connection: want.connection,
      table_schema: want.spec.schema,
      table_name: want.spec.table,
      events: want.spec.events,
      filter: want.spec.filter ?? null,
    };
    try {
      const target = await targetFor(want.connection);
      const done = await withClient(target, (c) => installDbTrigger(c, want.spec, row?.trigger_names ?? []));
      const condition = Object.values(done.conditions)[0] ?? null;
      await saveDbTriggerInstall(db, {
        ...base,
        condition,
        trigger_names: done.triggerNames,
        status: 'installed',
        error: null,
        retryable: false,
        installed_at: new Date(),
      });
      logger.info(
        { workflow: want.spec.slug, table: `${want.spec.schema}.${want.spec.table}`, events: want.spec.events },
        'database trigger installed',
      );
      return done.triggerNames;
    } catch (err) {
      // A failed install rolled back: the previous triggers (same table) still capture.
      const retryable = unreachable(err);
      logger.warn(
        { err: describe(err), workflow: want.spec.slug },
        retryable ? 'cannot reach the database to install the trigger; retrying' : 'database trigger rejected',
      );
      await saveDbTriggerInstall(db, {
        ...base,
        condition: null,
        trigger_names: row?.trigger_names ?? [],
        status: 'failed',
        error: `${want.spec.schema}.${want.spec.table}: ${describe(err)}`,
        retryable,
        installed_at: row?.installed_at ?? null,
      });
      return row?.trigger_names ?? [];
    }
  };

  const reconcile = serialTask(
    'database trigger reconcile',
    async () => {
      const desired = new Map<number, Desired>();
      for (const w of await currentWorkflows<WorkflowDefinition>(db, { enabledOnly: true })) {
        if (w.definition.trigger?.type !== 'database') continue;
        const t = w.definition.trigger as DatabaseTrigger;
        desired.set(w.id, {
          workflowId: w.id,
          connection: t.connection ?? null,
          spec: { slug: w.slug, schema: t.schema ?? 'public', table: t.table, events: t.events, filter: t.filter },
        });
      }
      const draining = new Map<string, { connection: string | null; watches: EventWatch[] }>();
      const drainFor = (connection: string | null, watch: EventWatch) => {
        const entry = draining.get(keyOf(connection)) ?? { connection, watches: [] };
        entry.watches.push(watch);
        draining.set(keyOf(connection), entry);
      };

      const rows = new Map((await listDbTriggerInstalls(db)).map((r) => [r.workflow_id, r]));
      for (const row of [...rows.values()]) {
        const want = desired.get(row.workflow_id);
        if (want && sameLocation(row, want)) continue;
        if (row.trigger_names.length === 0) await deleteDbTriggerInstall(db, row.workflow_id);
        else if (!(await remove(row))) {
          drainFor(row.connection, watchOf(row));
          if (want) desired.delete(row.workflow_id); // installed at the new place once the old one is gone
          continue;
        }
        rows.delete(row.workflow_id);
      }

      for (const want of desired.values()) {
        const row = rows.get(want.workflowId);
        let needed = !row || !sameSpec(row, want) || (row.status === 'failed' && row.retryable);
        if (row && !needed && row.status === 'installed') {
          try {
            const target = await targetFor(want.connection);
            const present = await existingTriggers(target.pool, want.spec.schema, want.spec.table, row.trigger_names);
            needed = row.trigger_names.some((n) => !present.has(n));
            if (needed)
              logger.warn({ workflow: want.spec.slug }, 'database trigger is missing in the target (dropped by hand?); reinstalling');
          } catch {
            // Unreachable: the drainer reports it; the check runs again next time.
          }
        }
        const installed = needed ? await install(want, row) : (row?.trigger_names ?? []);
        if (installed.length > 0)
          drainFor(want.connection, { slug: want.spec.slug, schema: want.spec.schema, table: want.spec.table, events: want.spec.events });
      }

      for (const [key, target] of targets) {
        const entry = draining.get(key);
        if (entry) target.setWorkflows(entry.watches);
        else {
          targets.delete(key);
          await target.close();
        }
      }
      for (const entry of draining.values()) {
        if (!targets.has(keyOf(entry.connection))) {
          try {
            (await targetFor(entry.connection)).setWorkflows(entry.watches);
          } catch (err) {
            logger.warn({ err: describe(err), connection: entry.connection }, 'cannot open the database trigger target yet; retrying');
          }
        }
      }
    },
    logger,
  );

  const unsubscribe = opts.feed.subscribe(() => void reconcile.request());
  const timer = setInterval(() => void reconcile.request(), opts.reconcileEveryMs ?? 30_000);
  timer.unref();
  // Not awaited: an unreachable target must not hold up the other singletons' start.
  void reconcile.request();

  return async () => {
    unsubscribe();
    clearInterval(timer);
    await reconcile.stop();
    for (const target of targets.values()) await target.close();
    targets.clear();
  };
}
