// `graphql`: a query or mutation over HTTP POST. Output `{status, headers, data}` (plus
// `extensions` when the server sends them). GraphQL reports most failures inside a
// 200 answer, so `errors` in the answer fail the step with their messages; errors
// about the request itself (parse, validation, input, auth) are not retried.
import { z } from 'zod';
import { NonRetryableError, StepError } from '../../core/errors.js';
import { defineAction } from '../../core/action.js';
import { durationParam } from './duration-param.js';
import { performHttp } from './http-call.js';
import { statusError } from './status-errors.js';
import { authParams, headerParams, resolveTarget } from './target.js';
import { connectionName, stringRecord, templatedValue, text } from '../../core/param-schemas.js';
import { yamlAuth, yamlTimeout, yamlUrl } from './yaml-params.js';

const params = z.object({
  url: z.string().min(1),
  query: z.string().min(1),
  variables: z.record(z.string(), z.unknown()).nullable().optional(),
  operation_name: z.string().optional(),
  headers: headerParams.optional(),
  auth: authParams.optional(),
  timeout: durationParam.optional(),
  connection: z.string().optional(),
});

interface GraphqlError {
  message?: unknown;
  path?: unknown;
  extensions?: { code?: unknown };
}

const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
]);

function describeErrors(errors: GraphqlError[]): string {
  return errors
    .map((e) => {
      const where = Array.isArray(e.path) ? ` (at ${e.path.join('.')})` : '';
      return `${typeof e.message === 'string' ? e.message : JSON.stringify(e)}${where}`;
    })
    .join('; ');
}

export const graphqlAction = defineAction({
  type: 'graphql',
  title: 'GraphQL request',
  params,
  authoring: (action) =>
    action({
      url: yamlUrl,
      query: text.meta({ description: 'The GraphQL document.' }),
      variables: templatedValue.optional(),
      operation_name: z.string().optional(),
      headers: stringRecord.optional(),
      auth: yamlAuth.optional(),
      timeout: yamlTimeout,
      connection: connectionName.optional(),
    }),
  async run(ctx, p) {
    const target = await resolveTarget(ctx, { url: p.url, headers: p.headers, connection: p.connection, auth: p.auth });
    target.headers.accept ??= 'application/graphql-response+json, application/json';
    const { output, answer } = await performHttp(ctx, {
      method: 'POST',
      target,
      body: { query: p.query, variables: p.variables ?? {}, ...(p.operation_name ? { operationName: p.operation_name } : {}) },
      bodyType: 'json',
      timeoutMs: p.timeout,
    });
    const body = (typeof output.body === 'object' && output.body !== null ? output.body : {}) as {
      data?: unknown;
      errors?: GraphqlError[];
      extensions?: unknown;
    };
    if (Array.isArray(body.errors) && body.errors.length > 0) {
      const message = `GraphQL ${p.operation_name ? `operation ${p.operation_name} ` : ''}at ${answer.url} answered with errors: ${describeErrors(body.errors)}`;
      const details = { status: answer.status, errors: body.errors, data: body.data ?? null };
      const aboutRequest =
        (answer.status >= 400 && answer.status < 500) || body.errors.every((e) => CLIENT_CODES.has(String(e.extensions?.code)));
      throw aboutRequest ? new NonRetryableError(message, { details }) : new StepError(message, { details });
    }
    const error = statusError(answer, ctx.redact);
    if (error) throw error;
    return {
      status: output.status,
      headers: output.headers,
      data: body.data ?? null,
      ...(body.extensions === undefined ? {} : { extensions: body.extensions }),
    };
  },
});
