// Schedule triggers: one timer per scheduled workflow, armed for its next tick. When
// a timer fires, the workflow's state is read again (another scheduler may have run
// the tick, the workflow may have changed) and the due ticks are planned and run.
// Runs a cluster singleton, yet two schedulers at once (a lock handover, a test) still
// start one run per tick: the run's dedupe key is the tick.
import type { Db } from '../../../db/client.js';
import { runScheduleTick, scheduledWorkflows, skipScheduleTicks, type ScheduledWorkflow } from '../../../db/queries/triggers-schedule.js';
import { WorkflowUnavailableError } from '../../queue/enqueue-run.js';
import type { Logger } from '../../logger.js';
import type { Singleton } from '../../singletons.js';
import { serialTask } from '../serial-task.js';
import type { ScheduleTrigger } from '../../workflow/types.js';
import type { WorkflowChangeFeed } from '../workflow-changes.js';
import { systemClock, type Clock } from './clock.js';
import { planTicks } from './tick-plan.js';

export interface SchedulerOptions {
  db: Db;
  logger: Logger;
  feed: WorkflowChangeFeed;
  clock?: Clock;
  /** How late a tick may run and still count as on time (catch_up: none). */
  graceMs?: number;
  maxCatchUp?: number;
  /** After a failed tick (database unreachable), try again this much later. */
  retryAfterMs?: number;
}

export interface Scheduler {
  /** Loads the schedules and runs what is due; resolves when that first pass is done. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when every evaluation asked for so far has finished (tests). */
  idle(): Promise<void>;
}

export function createScheduler(opts: SchedulerOptions): Scheduler {
  const clock = opts.clock ?? systemClock;
  const retryAfterMs = opts.retryAfterMs ?? 5_000;
  const timers = new Map<number, () => void>();
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;
  let unsubscribe: (() => void) | null = null;

  const arm = (workflowId: number, at: Date) => {
    timers.get(workflowId)?.();
    timers.set(
      workflowId,
      clock.at(at, () => enqueue(() => evaluate(workflowId))),
    );
  };

  const enqueue = (work: () => Promise<void>): Promise<void> => {
    queue = queue.then(() => (stopped ? undefined : work())).catch((err) => opts.logger.error({ err }, 'scheduler evaluation failed'));
    return queue;
  };

  async function runDue(workflow: ScheduledWorkflow<ScheduleTrigger>): Promise<void> {
    const { trigger } = workflow;
    const now = clock.now();
    const since = workflow.last_tick && workflow.last_tick > workflow.updated_at ? workflow.last_tick : workflow.updated_at;
    const plan = planTicks({
      cron: trigger.cron,
      timezone: trigger.timezone,
      catchUp: trigger.catch_up,
      since,
      now,
      ...(opts.graceMs === undefined ? {} : { graceMs: opts.graceMs }),
      ...(opts.maxCatchUp === undefined ? {} : { maxCatchUp: opts.maxCatchUp }),
    });
    try {
      if (plan.skipTo) {
        await skipScheduleTicks(opts.db, workflow.slug, plan.skipTo);
        opts.logger.info(
          { workflow: workflow.slug, upTo: plan.skipTo },
          'skipped schedule ticks missed while no scheduler ran (catch_up: none)',
        );
      }
      for (const tick of plan.run) {
        const late = now.getTime() - tick.getTime();
        const runId = await runScheduleTick(opts.db, workflow.slug, tick, {
          data: { scheduled_at: tick.toISOString(), cron: trigger.cron, timezone: trigger.timezone, late_ms: late },
        });
        opts.logger.debug({ workflow: workflow.slug, tick, runId }, 'schedule tick');
      }
    } catch (err) {
      if (err instanceof WorkflowUnavailableError) return; // disabled meanwhile: the reload drops its timer
      opts.logger.warn({ err, workflow: workflow.slug }, `schedule tick failed; retrying in ${retryAfterMs / 1000} s`);
      arm(workflow.id, new Date(clock.now().getTime() + retryAfterMs));
      return;
    }
    if (plan.next) arm(workflow.id, plan.next);
  }

  async function evaluate(workflowId: number): Promise<void> {
    const [workflow] = await scheduledWorkflows<ScheduleTrigger>(opts.db, workflowId);
    if (!workflow) {
      timers.get(workflowId)?.();
      timers.delete(workflowId);
      return;
    }
    await runDue(workflow);
  }

  const reload = serialTask(
    'schedule reload',
    () =>
      enqueue(async () => {
        const workflows = await scheduledWorkflows<ScheduleTrigger>(opts.db);
        const live = new Set(workflows.map((w) => w.id));
        for (const [id, cancel] of timers) {
          if (!live.has(id)) {
            cancel();
            timers.delete(id);
          }
        }
        for (const workflow of workflows) await runDue(workflow);
      }),
    opts.logger,
  );

  return {
    async start() {
      unsubscribe = opts.feed.subscribe(() => void reload.request());
      await reload.request();
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      await reload.stop();
      for (const cancel of timers.values()) cancel();
      timers.clear();
      await queue;
    },
    idle: async () => {
      for (;;) {
        const current = queue;
        await current;
        if (current === queue) return;
      }
    },
  };
}

/** The scheduler as a cluster singleton (one process runs it; another takes over when it dies). */
export function schedulerSingleton(opts: Omit<SchedulerOptions, 'clock'>): Singleton {
  return {
    name: 'scheduler',
    async start() {
      const scheduler = createScheduler(opts);
      await scheduler.start();
      return () => scheduler.stop();
    },
  };
}
