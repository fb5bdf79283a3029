// Action types that exist only in tests, to drive the engine through failures,
// slow steps and side effects it must not repeat. Registered in-process (and by the
// crash-test worker fixture).
import { z } from 'zod';
import { actionTypeNames, registerActionSchema } from '../../server/workflow/schema/actions.js';
import { defineAction } from '../../server/core/action.js';
import { NonRetryableError, RetryAfterError, StepError } from '../../server/core/errors.js';

const failures = new Map<string, number>();

/** Fails its first `times` attempts in a run (per step), then returns `{attempt}`. */
export const testFailAction = defineAction({
  type: 'test_fail',
  params: z.object({
    times: z.number().default(1),
    kind: z.enum(['retryable', 'fatal', 'retry_after']).default('retryable'),
    retry_after_ms: z.number().default(0),
    message: z.string().default('boom'),
    key: z.string().optional(),
  }),
  async run(ctx, p) {
    // Counted per run and step, or across runs under an explicit `key`.
    const key = p.key ?? `${ctx.run.id}:${ctx.step.path}`;
    const seen = (failures.get(key) ?? 0) + 1;
    failures.set(key, seen);
    if (seen <= p.times) {
      if (p.kind === 'fatal') throw new NonRetryableError(p.message);
      if (p.kind === 'retry_after') throw new RetryAfterError(p.message, p.retry_after_ms);
      throw new StepError(`${p.message} (attempt ${ctx.step.attempt})`);
    }
    return { attempt: ctx.step.attempt };
  },
});

/** Inserts a row into test_ledger (created on demand) - a side effect to count. */
export const testLedgerAction = defineAction({
  type: 'test_ledger',
  params: z.object({ entry: z.string(), value: z.unknown().optional() }),
  async run(ctx, p) {
    await ctx.services.pool.query(
      'create table if not exists public.test_ledger (id bigserial primary key, run_id uuid, entry text, value jsonb, at timestamptz default clock_timestamp())',
    );
    await ctx.services.pool.query('insert into public.test_ledger (run_id, entry, value) values ($1, $2, $3)', [
      ctx.run.id,
      p.entry,
      JSON.stringify(p.value ?? null),
    ]);
    return { entry: p.entry };
  },
});

/** Blocks until released by the test (gate name), honouring cancellation; tracks how many are inside. */
const gates = new Map<string, { open: Promise<void>; release: () => void }>();
export const inside = new Map<string, number>();
export const maxInside = new Map<string, number>();
export function gate(name: string): { release(): void } {
  let entry = gates.get(name);
  if (!entry) {
    let release!: () => void;
    const open = new Promise<void>((r) => {
      release = r;
    });
    entry = { open, release };
    gates.set(name, entry);
  }
  return { release: entry.release };
}
export const testBlockAction = defineAction({
  type: 'test_block',
  params: z.object({ gate: z.string(), value: z.unknown().optional() }),
  async run(ctx, p) {
    if (!gates.has(p.gate)) gate(p.gate);
    const g = gates.get(p.gate)!;
    inside.set(p.gate, (inside.get(p.gate) ?? 0) + 1);
    maxInside.set(p.gate, Math.max(maxInside.get(p.gate) ?? 0, inside.get(p.gate)!));
    try {
      await new Promise<void>((resolve, reject) => {
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
        void g.open.then(resolve);
      });
    } finally {
      inside.set(p.gate, inside.get(p.gate)! - 1);
    }
    return { value: p.value ?? null };
  },
});

/** Waits `ms` honouring the signal (a slow step for crash and timeout tests). */
export const testSleepAction = defineAction({
  type: 'test_sleep',
  params: z.object({ ms: z.number() }),
  async run(ctx, p) {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, p.ms);
      ctx.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          reject(ctx.signal.reason);
        },
        { once: true },
      );
    });
    return { slept: p.ms };
  },
});

export async function createLedger(pool: { query(sql: string): Promise<unknown> }): Promise<void> {
  await pool.query(
    'create table if not exists public.test_ledger (id bigserial primary key, run_id uuid, entry text, value jsonb, at timestamptz default clock_timestamp())',
  );
}

/** The test-only actions; test nodes (test/helpers/node.ts, the crash-test worker) add them to their registry. */
export const testActions = [testFailAction, testLedgerAction, testBlockAction, testSleepAction] as const;

/** Adds the test actions to the workflow language (the schema side), once per process. */
export function registerTestActions(): void {
  for (const a of testActions) {
    if (actionTypeNames().includes(a.type)) continue;
    registerActionSchema(a.type, a.params as unknown as z.ZodObject);
  }
}
