// Engine test bench: a real worker on a cloned test database, workflows applied from
// YAML, runs started and awaited through the real queue.
import { expect } from 'vitest';
import { applyWorkflow } from '../../db/queries/workflow-store.js';
import { getRun, type RunView } from '../../db/queries/runs.js';
import { triggerRun } from '../../server/queue/enqueue-run.js';
import type { Services } from '../../server/services.js';
import { parseWorkflow } from '../../server/workflow/index.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { startTestNode, type TestNode } from './node.js';

export interface Bench {
  tdb: TestDatabase;
  node: TestNode;
  services: Services;
  apply(yaml: string, opts?: { enabled?: boolean }): Promise<{ slug: string; version: number }>;
  start(slug: string, data?: unknown, extra?: Record<string, unknown>): Promise<string>;
  waitFor(runId: string, statuses?: string[], timeoutMs?: number): Promise<RunView>;
  stop(): Promise<void>;
}

export async function startBench(
  opts: { worker?: boolean; http?: boolean; env?: Record<string, string>; concurrency?: number } = {},
): Promise<Bench> {
  const tdb = await createTestDatabase();
  const node = await startTestNode({
    databaseUrl: tdb.url,
    http: opts.http ?? false,
    worker: opts.worker ?? true,
    singletons: false,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.concurrency ? { config: { concurrency: opts.concurrency } } : {}),
  });
  const services = node.services;
  return {
    tdb,
    node,
    services,
    async apply(yaml, applyOpts = {}) {
      const parsed = parseWorkflow(yaml, { file: 'test.yaml' });
      if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.line}:${p.col}: ${p.message}`).join('\n'));
      const res = await applyWorkflow(services.db, {
        definition: parsed.workflow,
        source: yaml,
        createdBy: 'test',
        ...(applyOpts.enabled === undefined ? {} : { enabled: applyOpts.enabled }),
      });
      return { slug: res.slug, version: res.version };
    },
    start: (slug, data = {}, extra = {}) => triggerRun(services.pool, slug, 'manual', { data, ...extra }),
    async waitFor(runId, statuses = ['succeeded', 'failed', 'cancelled'], timeoutMs = 30_000) {
      let run: RunView | null = null;
      await expect
        .poll(
          async () => {
            run = await getRun(services.db, runId);
            return run?.status;
          },
          { timeout: timeoutMs, interval: 20 },
        )
        .toSatisfy((s: unknown) => statuses.includes(String(s)));
      return run!;
    },
    async stop() {
      await node.stop();
      await tdb.drop();
    },
  };
}

/** The latest attempt of each step, by step name, in execution order. */
export function stepsByName(run: RunView): Record<string, RunView['steps'][number]> {
  const out: Record<string, RunView['steps'][number]> = {};
  for (const step of run.steps) out[step.name] = step;
  return out;
}
