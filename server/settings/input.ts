// Reads a request body with a zod schema; a bad body is a 400 that names each field.
import type { z } from 'zod';
import { badRequest } from '../core/http-error.js';

export function parseInput<T>(what: string, schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw badRequest(`Invalid ${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}.`);
  }
  return parsed.data;
}

/** A name check from a store (assertSecretName, ...) as a 400 instead of a 500. */
export function checkName(assert: (name: string) => void, name: string): void {
  try {
    assert(name);
  } catch (err) {
    throw badRequest((err as Error).message);
  }
}
