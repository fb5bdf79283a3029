// zod reports unknown keys without the keys that were allowed. This error hook, passed to
// every safeParse of the workflow schema, records them on the issue (extra issue fields
// survive into the final issue) so problems can say "did you mean ...".
import type { z } from 'zod';

/** An unrecognized_keys issue with the keys its object accepts. */
export interface UnknownKeysIssue {
  code: 'unrecognized_keys';
  keys: string[];
  allowed?: string[];
}

/** zod error hook: never changes the message, only records allowed keys. */
export function recordAllowedKeys(issue: z.core.$ZodRawIssue): undefined {
  if (issue.code === 'unrecognized_keys') {
    const shape = (issue.inst as { shape?: Record<string, unknown> } | undefined)?.shape;
    if (shape) (issue as unknown as UnknownKeysIssue).allowed = Object.keys(shape);
  }
  return undefined;
}
