// `run_script`: code in a separate process with a scrubbed environment, a time limit
// that kills everything the script started, a memory limit, and an unprivileged user
// when KhaosFlow runs as root. Node code is the body of an async function that gets
// `context` and returns JSON; shell code gets inputs through env and stdin and
// returns its stdout. `code` is never templated: it reads data, it is not built from it.
import { z } from 'zod';
import { durationParam } from '../http/duration-param.js';
import { defineAction } from '../../core/action.js';
import { runNodeScript } from './node-runtime.js';
import { scriptContext } from './script-context.js';
import { runShellScript } from './shell-runtime.js';
import { duration, stringRecord, text } from '../../core/param-schemas.js';

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

const params = z.object({
  runtime: z.enum(['node', 'bash', 'sh', 'python']).default('node'),
  code: z.string().min(1),
  timeout: durationParam.default(30_000),
  memory_mb: z.number().int().min(16).max(16_384).optional(),
  // Templates may give numbers or objects; a process environment holds text.
  env: z
    .record(z.string().regex(envName, { error: 'environment variable names use letters, digits and _' }), z.unknown())
    .transform((env) =>
      Object.fromEntries(
        Object.entries(env)
          .filter(([, v]) => v !== undefined && v !== null)
          .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      ),
    )
    .optional(),
  secrets: z.array(z.string().min(1)).optional(),
});

export const runScriptAction = defineAction({
  type: 'run_script',
  title: 'Run a script',
  params,
  authoring: (action) =>
    action({
      runtime: z.enum(['node', 'bash', 'sh', 'python']).default('node'),
      code: text,
      timeout: duration.default(30_000).meta({ description: 'Kill the script after this long (default 30s).' }),
      memory_mb: z.number().int().min(16).max(16_384).optional(),
      env: stringRecord.optional().meta({ description: 'Extra environment variables; templates allowed.' }),
      secrets: z.array(z.string()).optional().meta({ description: 'Names of secrets the script may read.' }),
    }),
  paramKinds: { raw: ['code'] },
  async run(ctx, p) {
    const context = await scriptContext(ctx, p.secrets);
    const env = p.env ?? {};
    if (p.runtime === 'node') return runNodeScript(ctx, { code: p.code, context, env, timeoutMs: p.timeout, memoryMb: p.memory_mb });
    return runShellScript(ctx, { runtime: p.runtime, code: p.code, stdin: context, env, timeoutMs: p.timeout, memoryMb: p.memory_mb });
  },
});
