// `khaosflow run <file|slug> [--data JSON] [--json]`: runs a workflow once through the
// real queue and executor (this process works the queue until the run ends) and
// prints each step. Exit 0 when the run succeeded, 1 when it did not.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import pino from 'pino';
import { applyWorkflow } from '../../db/queries/workflow-store.js';
import { getRun, type RunView } from '../../db/queries/runs.js';
import { loadConfig } from '../config.js';
import { triggerRun } from '../queue/enqueue-run.js';
import { isFinalRunStatus } from '../engine/statuses.js';
import { Lifecycle } from '../lifecycle.js';
import { startNode } from '../node.js';
import { CommandError } from './admin-runtime.js';
import { loadWorkflowFiles } from './workflow-files.js';

interface StepSummary {
  name: string;
  status: string;
  output: unknown;
  error: unknown;
  attempts: number;
  action_type: string | null;
  duration_ms: number | null;
}

/** The latest attempt of every step, in the order the steps first ran. */
export function summarizeSteps(run: RunView): StepSummary[] {
  const byPath = new Map<string, StepSummary>();
  for (const s of run.steps) {
    const duration = s.finished_at ? new Date(s.finished_at).getTime() - new Date(s.started_at).getTime() : null;
    byPath.set(s.path, {
      name: s.name,
      status: s.status,
      output: s.output,
      error: s.error,
      attempts: s.attempt,
      action_type: s.action_type,
      duration_ms: duration,
    });
  }
  return [...byPath.values()];
}

function parseData(text: string | undefined): unknown {
  if (text === undefined) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CommandError(`--data is not valid JSON: ${(err as Error).message}`, 2);
  }
}

function printHuman(run: RunView): void {
  const mark = (s: string) => (s === 'succeeded' ? '✓' : s === 'failed' ? '✗' : '•');
  process.stdout.write(`run ${run.id} of ${run.workflow.slug} v${run.version}: ${run.status}\n`);
  for (const s of summarizeSteps(run)) {
    const took = s.duration_ms === null ? '' : ` ${s.duration_ms} ms`;
    const tries = s.attempts > 1 ? ` (attempt ${s.attempts})` : '';
    process.stdout.write(`  ${mark(s.status)} ${s.name} [${s.action_type ?? 'step'}]${took}${tries}\n`);
    if (s.status === 'failed') process.stdout.write(`      error: ${(s.error as { message?: string } | null)?.message ?? 'failed'}\n`);
    else if (s.output !== null && s.output !== undefined) process.stdout.write(`      output: ${JSON.stringify(s.output)}\n`);
  }
  if (run.status === 'failed' && run.error) process.stdout.write(`error: ${(run.error as { message?: string }).message}\n`);
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a workflow once (a file is applied first) and print each step; exit 0 succeeded, 1 failed')
    .argument('<file|slug>', 'a workflow file, or the slug of a stored workflow')
    .option('--data <json>', 'trigger data (becomes trigger.data)')
    .option('--json', 'print {"run_id","status","steps":[{"name","status","output","error"}]}')
    .action(async (target: string, opts: { data?: string; json?: boolean }) => {
      const logger = pino({ name: 'khaosflow', level: process.env.LOG_LEVEL ?? 'warn', base: { pid: process.pid } }, pino.destination(2));
      const lifecycle = new Lifecycle(logger);
      lifecycle.handleSignals();
      try {
        const data = parseData(opts.data);
        const node = await startNode({ config: loadConfig(), logger, http: false, worker: true, singletons: false }, lifecycle);
        const { services } = node.runtime;
        let slug = target;
        if (existsSync(target)) {
          const [file] = await loadWorkflowFiles([target]);
          const applied = await applyWorkflow(services.db, { definition: file!.definition, source: file!.source, createdBy: 'cli run' });
          slug = applied.slug;
        }
        const runId = await triggerRun(services.pool, slug, 'manual', { data });
        let run = await getRun(services.db, runId);
        while (!run || !isFinalRunStatus(run.status)) {
          await new Promise((r) => setTimeout(r, 50));
          run = await getRun(services.db, runId);
        }
        if (opts.json) {
          const steps = summarizeSteps(run).map(({ name, status, output, error }) => ({ name, status, output, error }));
          process.stdout.write(`${JSON.stringify({ run_id: run.id, status: run.status, steps })}\n`);
        } else {
          printHuman(run);
        }
        process.exitCode = run.status === 'succeeded' ? 0 : 1;
      } catch (err) {
        process.stderr.write(`khaosflow run: ${(err as Error).message}\n`);
        process.exitCode = err instanceof CommandError ? err.exitCode : 1;
      } finally {
        await lifecycle.shutdown('run finished');
      }
    });
}
