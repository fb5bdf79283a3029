// run_script: code in a separate process with a scrubbed environment and limits. The code
// reads `context.trigger`, `context.steps`, ... and is never templated.
import { z } from 'zod';
import { duration, stringRecord, text } from '../primitives.js';
import { actionObject } from './action-object.js';

export const runScriptActionSchema = actionObject('run_script', {
  runtime: z.enum(['node', 'bash', 'sh', 'python']).default('node'),
  code: text,
  timeout: duration.default(30_000).meta({ description: 'Kill the script after this long (default 30s).' }),
  memory_mb: z.number().int().min(16).max(16_384).optional(),
  env: stringRecord.optional().meta({ description: 'Extra environment variables; templates allowed.' }),
  secrets: z.array(z.string()).optional().meta({ description: 'Names of secrets the script may read.' }),
});
