// Runs one action the way the engine does (params validated, then run, then result),
// with a hand-made context: a pool for KhaosFlow's own database, connections from a
// list, and a signal the test controls. For tests of one action without a workflow.
import type pg from 'pg';
import type { ActionContext, ActionDefinition, StepLogEntry } from '../../../server/core/action.js';
import { staticConnectionResolver } from '../../../server/connections/env.js';
import { connectionTypeOfUrl, type Connection } from '../../../server/connections/types.js';
import type { Services } from '../../../server/services.js';

export interface TestContext extends ActionContext {
  logs: StepLogEntry[];
  secretsSeen: string[];
}

/** `connections`: name -> URL, as KHAOSFLOW_CONNECTION_<NAME> would give them. */
export function testContext(
  opts: {
    pool?: pg.Pool;
    connections?: Record<string, string>;
    options?: Record<string, Record<string, string>>;
    signal?: AbortSignal;
    home?: string;
    step?: string;
  } = {},
): TestContext {
  const list: Connection[] = Object.entries(opts.connections ?? {}).map(([name, url]) => ({
    name,
    url,
    type: connectionTypeOfUrl(url)!,
    options: opts.options?.[name] ?? {},
    source: 'env',
  }));
  const logs: StepLogEntry[] = [];
  const secretsSeen: string[] = [];
  const step = opts.step ?? 'Test Step';
  return {
    services: { pool: opts.pool, config: { home: opts.home ?? '/nonexistent-khaosflow-home' } } as unknown as Services,
    connections: staticConnectionResolver(list),
    run: { id: '00000000-0000-0000-0000-000000000000', workflowSlug: 'test', workflowName: 'Test', version: 1, triggerKind: 'manual' },
    step: { name: step, slug: step.toLowerCase().replace(/\W+/g, '_'), path: '0', attempt: 1 },
    signal: opts.signal ?? new AbortController().signal,
    log: (level, message, data) => logs.push({ at: new Date().toISOString(), level, message, ...(data === undefined ? {} : { data }) }),
    addSecret: (value) => secretsSeen.push(value),
    redact: (value) => value,
    expressionContext: {},
    getSecret: async () => undefined,
    logs,
    secretsSeen,
  };
}

/** Validates `params` with the action's schema, runs it, and returns its output and result. */
export async function runAction(
  action: ActionDefinition<any>,
  ctx: ActionContext,
  params: Record<string, unknown>,
): Promise<{ output: any; result: any }> {
  const parsed = action.params ? action.params.parse(params) : params;
  const output = await action.run(ctx, parsed);
  return { output, result: action.result ? action.result(output) : output };
}
