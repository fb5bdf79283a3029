// `http_request`: one REST call. Output `{status, headers, body}`; a 4xx answer fails
// the step without retries (except 408/429), 5xx and 429/503 may be retried, and
// Retry-After is honoured (see status-errors.ts).
import { z } from 'zod';
import { defineAction } from '../../core/action.js';
import { durationParam } from './duration-param.js';
import { performHttp } from './http-call.js';
import { statusError } from './status-errors.js';
import { authParams, headerParams, queryParams, resolveTarget } from './target.js';

const params = z.object({
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']))
    .default('GET'),
  url: z.string().min(1),
  headers: headerParams.optional(),
  query: queryParams.optional(),
  body: z.unknown().optional(),
  body_type: z.enum(['json', 'form', 'multipart', 'text']).optional(),
  auth: authParams.optional(),
  timeout: durationParam.optional(),
  connection: z.string().optional(),
  response_type: z.enum(['auto', 'json', 'text', 'xml', 'binary']).default('auto'),
  fail_on_status: z.boolean().default(true),
  follow_redirects: z.boolean().default(true),
  idempotency_key: z.union([z.boolean(), z.string().min(1)]).optional(),
});

export const httpRequestAction = defineAction({
  type: 'http_request',
  title: 'HTTP request',
  params,
  async run(ctx, p) {
    const target = await resolveTarget(ctx, p);
    const { output, answer } = await performHttp(ctx, {
      method: p.method,
      target,
      body: p.body,
      bodyType: p.body_type,
      timeoutMs: p.timeout,
      followRedirects: p.follow_redirects,
      responseType: p.response_type,
      idempotencyKey: p.idempotency_key,
    });
    if (p.fail_on_status) {
      const error = statusError(answer);
      if (error) throw error;
    }
    return output;
  },
});
