// Which ticks of a schedule to run now. Due ticks are those after `since` (the last
// tick handled, or the workflow's last change if later) and not after `now`. The
// latest due tick is "on time" when it is at most `graceMs` old; older ones were
// missed (KhaosFlow was down, or the scheduler was moving to another process):
//   none    run the on-time tick only; missed ticks are skipped
//   latest  run the latest due tick once, however late
//   all     run every missed tick, oldest first, at most `maxCatchUp` of them (the latest)
import { Cron } from 'croner';

export type CatchUp = 'none' | 'latest' | 'all';

export interface TickPlan {
  /** Ticks to run, oldest first. */
  run: Date[];
  /** Record ticks up to here as handled without running them. */
  skipTo: Date | null;
  /** When to look again. */
  next: Date | null;
}

export const DEFAULT_GRACE_MS = 60_000;
export const MAX_CATCH_UP = 100;

const crons = new Map<string, Cron>();
function cronOf(pattern: string, timezone: string): Cron {
  const key = `${timezone} ${pattern}`;
  let cron = crons.get(key);
  if (!cron) {
    cron = new Cron(pattern, { timezone, paused: true });
    crons.set(key, cron);
  }
  return cron;
}

export function nextTick(pattern: string, timezone: string, after: Date): Date | null {
  return cronOf(pattern, timezone).nextRun(after);
}

export function planTicks(opts: {
  cron: string;
  timezone: string;
  catchUp: CatchUp;
  since: Date;
  now: Date;
  graceMs?: number;
  maxCatchUp?: number;
}): TickPlan {
  const cron = cronOf(opts.cron, opts.timezone);
  const next = cron.nextRun(opts.now);
  // previousRuns looks strictly before its reference: +1 ms includes a tick at exactly `now`.
  const reference = new Date(opts.now.getTime() + 1);
  const count = opts.catchUp === 'all' ? (opts.maxCatchUp ?? MAX_CATCH_UP) : 1;
  const due = cron
    .previousRuns(count, reference)
    .filter((tick) => tick > opts.since)
    .reverse();
  const latest = due.at(-1);
  if (!latest) return { run: [], skipTo: null, next };
  switch (opts.catchUp) {
    case 'all':
      return { run: due, skipTo: null, next };
    case 'latest':
      return { run: [latest], skipTo: null, next };
    case 'none':
      return opts.now.getTime() - latest.getTime() <= (opts.graceMs ?? DEFAULT_GRACE_MS)
        ? { run: [latest], skipTo: null, next }
        : { run: [], skipTo: latest, next };
  }
}
