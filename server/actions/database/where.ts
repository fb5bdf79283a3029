// `where:` of database_update and database_delete, resolved by the action instead of the
// engine. What the workflow's author wrote may hold a list (IN), null (IS NULL) or, for
// MongoDB, an operator object; what a template yields (webhook data, a previous step's
// output) must be one scalar. Otherwise a caller could send `{"id": [1, 2, 3]}` and turn
// `id = {{trigger.data.id}}` into `id IN (...)`, or `{"id": {"$ne": null}}` into a
// MongoDB operator that matches every document.
import type { ActionContext } from '../../core/action.js';
import { NonRetryableError } from '../../core/errors.js';
import type { ExpressionContext } from '../../expression/index.js';
import { cachedTemplate } from '../../expression/template-cache.js';

type Scalar = string | number | boolean | null;

function describe(value: unknown): string {
  return Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'an object' : typeof value;
}

/**
 * The `where:` conditions with every template resolved, each to a scalar.
 * @param written `where:` as written in the workflow (templates unresolved)
 * @throws NonRetryableError when a template gives a list or an object
 * @example await resolveWhere(ctx, { id: '{{trigger.data.id}}' }, 'database_delete') // { id: 42 }
 */
export async function resolveWhere(ctx: ActionContext, written: Record<string, unknown>, action: string): Promise<Record<string, unknown>> {
  const resolve = async (value: unknown, path: string): Promise<unknown> => {
    if (typeof value === 'string') {
      if (!value.includes('{{')) return value;
      const result = await cachedTemplate(value).evaluate(ctx.expressionContext as ExpressionContext, ctx.step.name);
      if (result === undefined || result === null || ['string', 'number', 'boolean'].includes(typeof result)) {
        return (result ?? null) as Scalar;
      }
      throw new NonRetryableError(
        `${action}: where.${path} is a template that gave ${describe(result)}; a template in where: must give one value (text, number, true/false or null). ` +
          'To match several values, write the list in the workflow, e.g. where: { id: ["{{trigger.data.first}}", "{{trigger.data.second}}"] }.',
      );
    }
    if (Array.isArray(value)) return Promise.all(value.map((item, i) => resolve(item, `${path}[${i}]`)));
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value)) out[key] = await resolve(inner, `${path}.${key}`);
      return out;
    }
    return value;
  };
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(written)) out[column] = await resolve(value, column);
  return out;
}
