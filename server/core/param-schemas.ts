// Building blocks shared by every part of the workflow schema. Error messages set here
// are the sentences users read, so they say what is expected with an example.
import { z } from 'zod';
import { durationPattern, parseDuration } from './duration.js';

/** A non-empty string. */
export const text = z.string().min(1, { error: 'must not be empty' });

/** A string that is exactly one `{{ expression }}`; `example` shows one in the error. */
export function singleTemplate(example = '{{trigger.data.items}}') {
  return z.string().regex(/^\s*\{\{[\s\S]*\}\}\s*$/, { error: `must be a single {{ expression }}, e.g. "${example}"` });
}

/** Any JSON value; strings anywhere inside may hold `{{ }}` templates. */
export const templatedValue = z.unknown().meta({ description: 'Any JSON value; strings may contain {{ expressions }}.' });

/** Header-like maps: names to text (templates allowed). */
export const stringRecord = z.record(z.string(), z.string({ error: 'must be text (quote numbers and booleans)' }));

const durationError = 'must be a duration like 30s, 5m, 300s, 1h30m or a number of milliseconds';

/** A duration: `30s`, `5m`, `1h30m`, `250ms`, or a number of milliseconds; output is milliseconds. */
export const duration = z
  .union([z.number().int().nonnegative(), z.string().regex(new RegExp(durationPattern), { error: durationError })], {
    error: durationError,
  })
  .transform((value) => (typeof value === 'number' ? value : parseDuration(value)!));

/** A duration, or a `{{ }}` template computing one at run time (kept as text). */
export const templatedDuration = z.union([duration, singleTemplate('{{trigger.data.wait}}')], {
  error: 'must be a duration like 30s, 5m, 1h or a single {{ expression }}',
});

/** Name of a connection (`KHAOSFLOW_CONNECTION_<NAME>` lower-cased, or one made in the console). */
export const connectionName = z
  .string()
  .regex(/^[a-z0-9_]+$/i, { error: 'must be a connection name like postgres_main (letters, digits, _)' })
  .meta({ description: 'Connection name; omitted means the connection named "default" of the kind the step needs.' });

export const httpMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** Which messages of a mailbox a step or trigger looks at (IMAP search criteria). */
export const mailFilterFields = {
  from: z.string().optional(),
  subject: z.string().optional(),
  unseen: z.boolean().optional(),
};
