// Running one action as a one-step workflow on the bench, for action tests.
import { randomBytes } from 'node:crypto';
import type { RunView } from '../../../db/queries/runs.js';
import type { Bench } from '../../helpers/engine.js';

export type StepAttempt = RunView['steps'][number];

/** Indents an action written as YAML under `action:`. */
function indent(yaml: string, spaces: number): string {
  return yaml
    .replace(/^\n/, '')
    .split('\n')
    .map((line) => `${' '.repeat(spaces)}${line}`)
    .join('\n');
}

/**
 * Applies a workflow whose only step (named "Call") is `action`, starts it with
 * `data`, and waits for the run. `extra` is YAML added at the top level (error_handling).
 */
export async function runAction(
  bench: Bench,
  action: string,
  data: unknown = {},
  extra = '',
): Promise<{ run: RunView; attempts: StepAttempt[]; last: StepAttempt }> {
  const { slug } = await bench.apply(`
name: Step ${randomBytes(4).toString('hex')}
trigger: { type: manual }
${extra}
steps:
  - name: Call
    action:
${indent(action, 6)}
`);
  const run = await bench.waitFor(await bench.start(slug, data));
  const attempts = run.steps.filter((s) => s.name === 'Call');
  return { run, attempts, last: attempts[attempts.length - 1]! };
}

export const errorOf = (step: StepAttempt) =>
  step.error as { name: string; message: string; retryable: boolean; details?: Record<string, unknown> };
export const logsOf = (step: StepAttempt) => ((step.logs as Array<{ level: string; message: string }> | null) ?? []).map((l) => l.message);
