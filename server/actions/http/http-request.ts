// `http_request`: one REST call. Output `{status, headers, body}`; a 4xx answer fails
// the step without retries (except 408/429), 5xx and 429/503 may be retried, and
// Retry-After is honoured (see status-errors.ts).
import { z } from 'zod';
import { defineAction } from '../../core/action.js';
import { durationParam } from './duration-param.js';
import { performHttp } from './http-call.js';
import { statusError } from './status-errors.js';
import { authParams, headerParams, queryParams, resolveTarget } from './target.js';
import { connectionName, httpMethod, stringRecord, templatedValue, text } from '../../core/param-schemas.js';
import { yamlAuth, yamlQuery, yamlTimeout, yamlUrl } from './yaml-params.js';

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
  authoring: (action) =>
    action({
      method: httpMethod.default('GET'),
      url: yamlUrl,
      headers: stringRecord.optional(),
      query: yamlQuery.optional(),
      body: templatedValue.optional(),
      body_type: z.enum(['json', 'form', 'multipart', 'text']).optional().meta({
        description:
          'How body is sent; default: from the Content-Type header, else text for a string and JSON for anything else. In multipart, {file: path} or {content, filename} is a file part.',
      }),
      auth: yamlAuth.optional(),
      timeout: yamlTimeout,
      connection: connectionName.optional().meta({ description: 'An http(s):// connection whose base URL and credentials apply.' }),
      response_type: z
        .enum(['auto', 'json', 'text', 'xml', 'binary'])
        .default('auto')
        .meta({ description: 'auto: by Content-Type; binary answers are saved as a file ({file, size, content_type}).' }),
      fail_on_status: z.boolean().default(true).meta({ description: 'Fail the step on a 4xx/5xx answer.' }),
      follow_redirects: z.boolean().default(true),
      idempotency_key: z
        .union([z.boolean(), text])
        .optional()
        .meta({ description: 'true: send an Idempotency-Key header, the same on every retry of the step in a run; or the key itself.' }),
    }),
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
      const error = statusError(answer, ctx.redact);
      if (error) throw error;
    }
    return output;
  },
});
