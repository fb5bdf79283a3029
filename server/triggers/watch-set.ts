// The running watches of a trigger singleton (folders, mailboxes), one per workflow,
// kept in step with what the definitions want: a watch whose settings changed is
// restarted, one no longer wanted is stopped, one that fails to start is logged once
// per distinct reason and tried again on the next sync.
import type { Logger } from '../logger.js';

/**
 * A watch its workflow asks for but KhaosFlow will not run (a folder outside the file
 * roots): logged at error level, since only a change to the workflow or to the
 * configuration fixes it. It is still tried on each sync, so a repaired symbolic link
 * or an edited workflow takes effect without a restart.
 */
export class WatchRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WatchRefused';
  }
}

export interface Watch {
  stop(): Promise<void>;
}

export interface WantedWatch {
  slug: string;
  /** Changes whenever the watch must be restarted (its settings, its connection URL). */
  key: string;
  /** Fields naming what is watched in log lines, e.g. { folder: '/data/uploads' }. */
  fields: Record<string, unknown>;
  start(): Promise<Watch>;
}

export interface WatchSet {
  /** Brings the running watches in line with `desired`; `wanted` also keeps failures of workflows left out of `desired`. */
  sync(desired: Map<number, WantedWatch>, wanted?: Set<number>): Promise<void>;
  /** Records a failure found before starting (a missing connection, say); logged once per reason. */
  fail(id: number, fields: Record<string, unknown>, message: string, what: string, level?: 'warn' | 'error'): void;
  /** True while some watch waits to be retried. */
  readonly failing: boolean;
  stop(): Promise<void>;
}

/** Told when a workflow's watch gets a problem (its message) or loses it (null), e.g. to store it for the console. */
export type ProblemRecorder = (workflowId: number, message: string | null) => Promise<void>;

export function createWatchSet(opts: { logger: Logger; noun: string; onProblem?: ProblemRecorder }): WatchSet {
  const { logger } = opts;
  const watches = new Map<number, { key: string; watch: Watch }>();
  const failures = new Map<number, string>();
  // Reports are chained so a problem and its clearing are stored in the order they happened.
  let reports: Promise<void> = Promise.resolve();
  const record = (id: number, message: string | null) => {
    if (!opts.onProblem) return;
    const report = opts.onProblem;
    // Only a report: a failure to store it must not stop the watches.
    reports = reports
      .then(() => report(id, message))
      .catch((err: Error) => logger.warn({ err: err.message }, `cannot record the ${opts.noun} problem`));
  };

  const fail = (id: number, fields: Record<string, unknown>, message: string, what: string, level: 'warn' | 'error' = 'warn') => {
    if (failures.get(id) !== message) {
      logger[level]({ ...fields, err: message }, what);
      record(id, message);
    }
    failures.set(id, message);
  };

  return {
    fail,
    get failing() {
      return failures.size > 0;
    },
    async sync(desired, wanted = new Set(desired.keys())) {
      for (const [id, current] of watches) {
        if (desired.get(id)?.key === current.key) continue;
        watches.delete(id);
        await current.watch.stop();
      }
      for (const [id, want] of desired) {
        if (watches.has(id)) continue;
        const fields = { workflow: want.slug, ...want.fields };
        try {
          watches.set(id, { key: want.key, watch: await want.start() });
          if (failures.delete(id)) {
            logger.info(fields, `${opts.noun} started`);
            record(id, null);
          }
        } catch (err) {
          const message = (err as Error).message;
          if (err instanceof WatchRefused) fail(id, fields, message, `${opts.noun} refused: ${message}`, 'error');
          else fail(id, fields, message, `cannot start the ${opts.noun} yet; retrying`);
        }
      }
      for (const id of failures.keys()) {
        if (wanted.has(id)) continue;
        failures.delete(id);
        record(id, null);
      }
    },
    async stop() {
      for (const { watch } of watches.values()) await watch.stop();
      watches.clear();
      await reports;
    },
  };
}
