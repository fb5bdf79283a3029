// Every action is a strict object with a literal `type`, its params, and an optional
// `retry` (the seed writes retry inside http_request's action; it is moved to the step).
import { z } from 'zod';
import { retrySchema } from '../retry.js';

/** A strict action schema of `type` with the params in `shape`. */
export function actionObject<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.strictObject({ type: z.literal(type), ...shape, retry: retrySchema.optional() });
}
