// Everything one execution of a run carries: the claimed run, its pinned version, the
// expression context being built step by step, checkpoints from earlier attempts, the
// step records not yet written, and the redactor fed with every secret met.
import type { ExpressionContext } from '../expression/index.js';
import { createRedactor, type Redactor } from '../secrets/redact.js';
import type { Services } from '../services.js';
import type { WorkflowDefinition } from '../workflow/types.js';
import type { LoadedVersion } from './definitions.js';
import { RunInterrupt } from './interrupts.js';
import { claimRun, type Checkpoints, type ClaimedRun } from './run-store.js';
import type { StepRecord } from './step-record.js';

/** What `steps.<slug>` holds in expressions. */
export interface StepEntry {
  status: 'succeeded' | 'failed' | 'skipped';
  result: unknown;
  output: unknown;
  error?: unknown;
}

export interface RunState {
  services: Services;
  run: ClaimedRun;
  version: LoadedVersion;
  definition: WorkflowDefinition;
  base: ExpressionContext & { steps: Record<string, StepEntry> };
  redactor: Redactor;
  checkpoints: Checkpoints;
  /** Records of steps finished since the last write, written with the next one. */
  pending: StepRecord[];
  /** Aborted (with a RunInterrupt reason) on cancel, shutdown or run timeout. */
  signal: AbortSignal;
  abort(reason: RunInterrupt): void;
  /**
   * Whether this execution holds the run (status running). A run starts unclaimed
   * when nothing requires otherwise: steps without outside effects need no claim, so
   * a run of pure steps costs one write less. See ensureClaimed.
   */
  claimed: boolean;
  /** The run is not in the database yet (before-writing.ts): it cannot be claimed, only finished and written once. */
  unwritten: boolean;
  startedAt: Date;
}

/** A place steps run in: the top level, a branch, or one loop iteration. */
export interface Scope {
  ctx: ExpressionContext & { steps: Record<string, StepEntry> };
  /** Appended to step paths inside loop iterations: `@3` (nested loops: `@3@0`). */
  iteration: string;
}

const EMPTY_CHECKPOINTS: Checkpoints = { succeeded: new Map(), attempts: new Map(), failures: new Map() };

const secretNamesByDefinition = new WeakMap<WorkflowDefinition, string[]>();

/** Names read as `secrets.<name>` anywhere in the workflow, found once per version. */
export function referencedSecrets(definition: WorkflowDefinition): string[] {
  let names = secretNamesByDefinition.get(definition);
  if (!names) {
    const text = JSON.stringify(definition);
    names = [
      ...new Set(
        [...text.matchAll(/secrets\s*(?:\.\s*([A-Za-z_][\w-]*)|\[\s*\\?["']([^"'\\]+)\\?["']\s*\])/g)].map((m) => (m[1] ?? m[2])!),
      ),
    ];
    secretNamesByDefinition.set(definition, names);
  }
  return names;
}

export async function createRunState(opts: {
  services: Services;
  run: ClaimedRun;
  version: LoadedVersion;
  checkpoints: Checkpoints | null;
  controller: AbortController;
  claimed: boolean;
  unwritten?: boolean;
}): Promise<RunState> {
  const { services, run, version } = opts;
  const definition = version.definition;
  const wanted = referencedSecrets(definition);
  const [vars, secrets] = await Promise.all([
    services.variables.all(),
    wanted.length ? services.secrets.getMany(wanted) : Promise.resolve({} as Record<string, string>),
  ]);
  const redactor = createRedactor(Object.values(secrets));
  const startedAt = run.started_at ?? new Date();
  const base: RunState['base'] = {
    trigger: run.trigger_data,
    steps: {},
    secrets,
    // A variable the workflow defines itself wins over a global one of the same name.
    vars: { ...vars, ...definition.vars },
    workflow: { name: definition.name, slug: run.slug, version: run.version },
    run: {
      id: run.id,
      attempt: Math.max(run.attempt, 1),
      trigger_kind: run.trigger_kind,
      started_at: startedAt.toISOString(),
      parent_run_id: run.parent_run_id,
    },
    // `{{date}}` is the day the run was created, so a resumed or retried step names
    // its files the same way as the first attempt did.
    date: run.created_at.toISOString().slice(0, 10),
  };
  return {
    services,
    run,
    version,
    definition,
    base,
    redactor,
    checkpoints: opts.checkpoints ?? EMPTY_CHECKPOINTS,
    pending: [],
    signal: opts.controller.signal,
    abort: (reason) => opts.controller.abort(reason),
    claimed: opts.claimed,
    unwritten: opts.unwritten === true,
    startedAt,
  };
}

/**
 * Claims the run before the first effect outside it (a non-pure action, a child run,
 * a wait). Throws a cancellation when the run can no longer be claimed.
 */
export async function ensureClaimed(state: RunState): Promise<void> {
  if (state.claimed) return;
  if (state.unwritten) throw new RunInterrupt('unwritten', 'The run reached a step with effects outside it before it was written.');
  const claimed = await claimRun(state.services.pool, state.run.id);
  if (!claimed) throw new RunInterrupt('cancelled', 'The run was cancelled before it could continue.');
  state.claimed = true;
  state.run = claimed;
}
