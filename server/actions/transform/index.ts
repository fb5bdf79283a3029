// `transform`: filter, map, sort, aggregate (JSONata expressions evaluated per
// element or per group) and jq over a list. Pure: no effect outside the run, so the
// engine checkpoints it together with the next step.
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import {
  evaluateAggregate,
  evaluateFilter,
  evaluateMap,
  evaluateSort,
  ExpressionError,
  type ExpressionContext,
} from '../../expression/index.js';
import { defineAction } from '../../core/action.js';
import { runJq } from './jq.js';
import { templatedValue, text } from '../../core/param-schemas.js';

const oneOrMany = z.union([z.string(), z.array(z.string()).min(1)]);
const params = z.discriminatedUnion('operation', [
  z.object({ operation: z.literal('filter'), input: z.unknown(), condition: z.string() }),
  z.object({ operation: z.literal('map'), input: z.unknown(), transform: z.string() }),
  z.object({ operation: z.literal('sort'), input: z.unknown(), by: oneOrMany, order: z.enum(['asc', 'desc']).default('asc') }),
  z.object({
    operation: z.literal('aggregate'),
    input: z.unknown(),
    group_by: oneOrMany.optional(),
    aggregations: z.record(z.string(), z.string()),
  }),
  z.object({ operation: z.literal('jq'), input: z.unknown(), filter: z.string() }),
]);

const yamlInput = templatedValue.meta({ description: 'The list to transform, usually a template like "{{trigger.data.items}}".' });

export const transformAction = defineAction({
  type: 'transform',
  title: 'Transform data',
  params,
  // One strict object per operation, so each reports its own missing and unknown keys.
  authoring: (action) =>
    z.discriminatedUnion('operation', [
      action({
        operation: z.literal('filter'),
        input: yamlInput,
        condition: text.meta({ description: 'Expression per element, e.g. "price > 100".' }),
      }),
      action({
        operation: z.literal('map'),
        input: yamlInput,
        transform: text.meta({ description: 'Expression per element building the new element; $ is the element.' }),
      }),
      action({
        operation: z.literal('sort'),
        input: yamlInput,
        by: z.union([text, z.array(text).min(1)]),
        order: z.enum(['asc', 'desc']).default('asc'),
      }),
      action({
        operation: z.literal('aggregate'),
        input: yamlInput,
        group_by: z.union([text, z.array(text).min(1)]).optional(),
        aggregations: z
          .record(z.string(), text)
          .refine((record) => Object.keys(record).length > 0, { error: 'needs at least one aggregation, e.g. total: sum(amount)' }),
      }),
      action({
        operation: z.literal('jq'),
        input: yamlInput,
        filter: text.meta({ description: 'A jq program, e.g. ".[] | select(.price > 100)".' }),
      }),
    ]),
  paramKinds: { raw: ['filter'], expression: ['condition', 'transform', 'by', 'group_by', 'aggregations'] },
  pure: true,
  async run(ctx, p) {
    const context = ctx.expressionContext as ExpressionContext;
    const step = ctx.step.name;
    try {
      switch (p.operation) {
        case 'filter':
          return await evaluateFilter(p.input, p.condition, context, step);
        case 'map':
          return await evaluateMap(p.input, p.transform, context, step);
        case 'sort':
          return await evaluateSort(p.input, { by: p.by, order: p.order }, context, step);
        case 'aggregate':
          return await evaluateAggregate(
            p.input,
            { aggregations: p.aggregations, ...(p.group_by ? { group_by: p.group_by } : {}) },
            context,
            step,
          );
        case 'jq':
          return await runJq(p.input ?? null, p.filter);
      }
    } catch (err) {
      // A broken expression or a type error on the data will not heal on retry.
      if (err instanceof ExpressionError) throw new NonRetryableError(err.message);
      throw err;
    }
  },
});
