// Plugin action params are declared with their run-time types (`count: z.number()`), but a
// workflow file may hold a template there (`count: "{{trigger.data.n}}"`) whose value only
// exists at run time. Validation therefore forgives any issue about a value that is, or
// sits inside, a string containing `{{`.
import type { z } from 'zod';
import { recordAllowedKeys } from './allowed-keys.js';

function isTemplateString(value: unknown): value is string {
  return typeof value === 'string' && value.includes('{{');
}

/** Validates `value` with `schema`, reporting on `ctx` every issue not excused by a template. */
export function tolerateTemplates(schema: z.ZodType, value: unknown, ctx: z.RefinementCtx): void {
  const result = schema.safeParse(value, { error: recordAllowedKeys });
  if (result.success) return;
  for (const issue of result.error.issues) {
    if (!coveredByTemplate(value, issue.path)) ctx.addIssue({ ...issue } as Parameters<typeof ctx.addIssue>[0]);
  }
}

function coveredByTemplate(value: unknown, path: readonly PropertyKey[]): boolean {
  let current = value;
  for (const key of path) {
    if (isTemplateString(current)) return true;
    if (typeof current !== 'object' || current === null) return false;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return isTemplateString(current);
}
