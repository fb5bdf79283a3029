// The whole workflow language as one zod schema: the document (with or without the
// `workflow:` wrapper), its steps (action, condition, loop, or the trigger written as the
// first step), error handling and run settings. Built on demand because plugins add
// action types at start-up; rebuilt when the action registry changes.
import { z } from 'zod';
import { workflowSlugPattern } from '../slugs.js';
import { actionRegistryVersion, actionSchema } from './actions.js';
import { duration, singleTemplate, text } from '../../core/param-schemas.js';
import { retrySchema } from './retry.js';
import { triggerSchema } from './triggers.js';

/** The keys that make a step what it is; exactly one must be present. */
export const stepKinds = ['action', 'condition', 'loop', 'for_each', 'trigger'] as const;

export interface WorkflowSchemas {
  /** A document with everything under `workflow:`. */
  wrapped: z.ZodType;
  /** A document that is the workflow itself. */
  bare: z.ZodType;
  /** Either form; what editors get as JSON Schema. */
  document: z.ZodType;
}

const built = new Map<string, WorkflowSchemas>();

/** The schemas for validation, or for the editor (plugin actions with their declared types). */
export function workflowSchemas(purpose: 'validation' | 'editor' = 'validation'): WorkflowSchemas {
  const key = `${purpose}:${actionRegistryVersion()}`;
  let schemas = built.get(key);
  if (!schemas) {
    built.clear();
    schemas = buildSchemas(actionSchema(purpose));
    built.set(key, schemas);
  }
  return schemas;
}

function buildSchemas(action: z.ZodType): WorkflowSchemas {
  const condition = z.strictObject({
    if: z
      .union([z.boolean(), singleTemplate('{{steps.check_inventory.result.stock > 0}}')], {
        error: 'must be true, false or a single {{ expression }}',
      })
      .meta({ description: 'Decides which branch runs.' }),
    get then() {
      return z.array(step).meta({ description: 'Steps run when `if` is true.' });
    },
    get else() {
      return z.array(step).optional().meta({ description: 'Steps run when `if` is false.' });
    },
  });

  const loop = z.strictObject({
    over: z
      .union([singleTemplate('{{trigger.data.orders}}'), z.array(z.unknown())], {
        error: 'must be a single {{ expression }} giving a list, e.g. "{{trigger.data.orders}}", or a list',
      })
      .meta({ description: 'The list to run the steps for, e.g. "{{trigger.data.orders}}".' }),
    concurrency: z.number().int().min(1).max(100).default(1).meta({ description: 'Elements processed at once (default 1, in order).' }),
    get steps() {
      return z.array(step).min(1).meta({ description: 'Run once per element, with `item` and `index` set.' });
    },
  });

  const step: z.ZodType = z
    .strictObject({
      name: text.optional().meta({ description: 'Shown in runs; its snake_case is the step slug (steps.<slug>).' }),
      description: z.string().optional(),
      action: action.optional(),
      condition: condition.optional(),
      loop: loop.optional(),
      for_each: loop.optional().meta({ description: 'Same as loop.' }),
      trigger: triggerSchema.optional().meta({ description: 'Only in the first step: the trigger, named.' }),
      retry: retrySchema.optional(),
      timeout: duration.optional().meta({ description: 'Budget of one attempt of the step.' }),
      continue_on_error: z.boolean().optional(),
    })
    .superRefine((value, ctx) => {
      const present = stepKinds.filter((kind) => value[kind] !== undefined);
      if (present.length === 0) {
        ctx.addIssue({ code: 'custom', path: [], message: 'a step needs one of action:, condition:, loop: (or for_each:)' });
      } else if (present.length > 1) {
        ctx.addIssue({
          code: 'custom',
          path: [present[1]!],
          message: `a step is one thing: it has both ${present[0]}: and ${present[1]}:; split it into two steps`,
        });
      }
      // Retries repeat one action; a branch or loop is retried through its steps.
      const kind = present[0];
      const notHere =
        kind === 'trigger' ? (['retry', 'timeout', 'continue_on_error'] as const) : kind === 'action' ? [] : (['retry'] as const);
      for (const key of notHere) {
        if (value[key] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [key], message: `${key} applies to action steps only, not to a ${kind} step` });
        }
      }
    });

  const errorHandling = z.strictObject({
    strategy: z.enum(['retry_then_alert', 'fail_fast', 'continue']).optional().meta({
      description:
        'retry_then_alert: retry, then run on_failure; fail_fast: stop at the first failure; continue: record the failure and go on. Default: retry_then_alert when retry is given, else fail_fast.',
    }),
    retry: retrySchema.optional().meta({ description: 'Default retry policy of steps without their own.' }),
    on_failure: z.array(action).default([]).meta({ description: 'Actions run once when the run fails.' }),
  });

  const body = z.strictObject({
    name: text.optional().meta({ description: 'Default: the file name without extension.' }),
    slug: z
      .string()
      .regex(workflowSlugPattern, { error: 'must be kebab-case, e.g. customer-onboarding' })
      .optional()
      .meta({ description: 'Default: kebab-case of the name.' }),
    description: z.string().optional(),
    trigger: triggerSchema.optional(),
    steps: z.array(step).optional(),
    action: action.optional().meta({ description: 'A one-step workflow: this action alone.' }),
    error_handling: errorHandling.optional(),
    concurrency: z.number().int().min(1).max(10_000).optional().meta({ description: 'Most runs executing at once.' }),
    queue: text.optional().meta({ description: 'Runs with the same key (templates over trigger allowed) execute one at a time.' }),
    priority: z.number().int().min(-100).max(100).optional().meta({ description: 'Higher runs first (default 0).' }),
    timeout: duration.optional().meta({ description: 'Budget of a whole run.' }),
    vars: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'variable names use letters, digits and _' }), z.unknown())
      .optional()
      .meta({ description: 'Values readable as vars.<name> or just <name> in expressions.' }),
  });

  const wrapped = z.strictObject({ workflow: body });
  return { wrapped, bare: body, document: z.union([wrapped, body]).meta({ title: 'KhaosFlow workflow' }) };
}
