// transform: filter, map, sort, aggregate and jq over a list. The expressions here
// (condition, transform, by, group_by, aggregations) are evaluated per element by the
// action, not as templates; `input` is a normal template.
import { z } from 'zod';
import { templatedValue, text } from '../primitives.js';
import { actionObject } from './action-object.js';

const input = templatedValue.meta({ description: 'The list to transform, usually a template like "{{trigger.data.items}}".' });

export const filterTransformSchema = actionObject('transform', {
  operation: z.literal('filter'),
  input,
  condition: text.meta({ description: 'Expression per element, e.g. "price > 100".' }),
});

export const mapTransformSchema = actionObject('transform', {
  operation: z.literal('map'),
  input,
  transform: text.meta({ description: 'Expression per element building the new element; $ is the element.' }),
});

export const sortTransformSchema = actionObject('transform', {
  operation: z.literal('sort'),
  input,
  by: z.union([text, z.array(text).min(1)]),
  order: z.enum(['asc', 'desc']).default('asc'),
});

export const aggregateTransformSchema = actionObject('transform', {
  operation: z.literal('aggregate'),
  input,
  group_by: z.union([text, z.array(text).min(1)]).optional(),
  aggregations: z
    .record(z.string(), text)
    .refine((record) => Object.keys(record).length > 0, { error: 'needs at least one aggregation, e.g. total: sum(amount)' }),
});

export const jqTransformSchema = actionObject('transform', {
  operation: z.literal('jq'),
  input,
  filter: text.meta({ description: 'A jq program, e.g. ".[] | select(.price > 100)".' }),
});

export const transformActionSchema = z.discriminatedUnion('operation', [
  filterTransformSchema,
  mapTransformSchema,
  sortTransformSchema,
  aggregateTransformSchema,
  jqTransformSchema,
]);
