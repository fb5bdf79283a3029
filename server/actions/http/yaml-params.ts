// Params of the HTTP actions as written in a workflow file, shared by their
// `authoring` schemas (the run-time params are in target.ts).
import { z } from 'zod';
import { duration, text } from '../../core/param-schemas.js';

export const yamlUrl = text.meta({ description: 'Absolute URL; templates allowed, e.g. "{{khaosbase_url}}/api/tasks".' });
export const yamlTimeout = duration.optional().meta({ description: 'Give up waiting for the answer after this long (default 30s).' });
export const yamlAuth = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('basic'), username: z.string(), password: z.string() }),
    z.strictObject({ type: z.literal('bearer'), token: text }),
    z.strictObject({
      type: z.literal('api_key'),
      value: text,
      header: text.optional().meta({ description: 'Header carrying the key (default X-API-Key).' }),
      query: text.optional().meta({ description: 'Query parameter carrying the key, instead of a header.' }),
    }),
  ])
  .meta({ description: 'Credentials, e.g. {type: bearer, token: "{{secrets.api_token}}"}.' });
export const yamlQuery = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]), {
  error: 'must map names to text, numbers or booleans',
});
