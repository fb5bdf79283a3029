// HTTP-based actions: http_request, graphql, soap, and the webhook action (a POST with a
// JSON body, used by on_failure alerts).
import { z } from 'zod';
import { connectionName, duration, httpMethod, stringRecord, templatedValue, text } from '../primitives.js';
import { actionObject } from './action-object.js';

const url = text.meta({ description: 'Absolute URL; templates allowed, e.g. "{{khaosbase_url}}/api/tasks".' });
const timeout = duration.optional().meta({ description: 'Give up waiting for the answer after this long (default 30s).' });
const auth = z
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
const query = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]), {
  error: 'must map names to text, numbers or booleans',
});

export const httpRequestActionSchema = actionObject('http_request', {
  method: httpMethod.default('GET'),
  url,
  headers: stringRecord.optional(),
  query: query.optional(),
  body: templatedValue.optional(),
  body_type: z.enum(['json', 'form', 'multipart', 'text']).optional().meta({
    description:
      'How body is sent; default: from the Content-Type header, else text for a string and JSON for anything else. In multipart, {file: path} or {content, filename} is a file part.',
  }),
  auth: auth.optional(),
  timeout,
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
});

export const graphqlActionSchema = actionObject('graphql', {
  url,
  query: text.meta({ description: 'The GraphQL document.' }),
  variables: templatedValue.optional(),
  operation_name: z.string().optional(),
  headers: stringRecord.optional(),
  auth: auth.optional(),
  timeout,
  connection: connectionName.optional(),
});

export const soapActionSchema = actionObject('soap', {
  url,
  soap_action: z.string().optional().meta({ description: 'The SOAPAction header.' }),
  version: z.enum(['1.1', '1.2']).default('1.1'),
  body: text.meta({ description: 'The XML inside <soap:Body>; templates allowed (their values are XML-escaped).' }),
  headers: stringRecord.optional(),
  auth: auth.optional(),
  timeout,
  connection: connectionName.optional(),
});

export const webhookActionSchema = actionObject('webhook', {
  url,
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  headers: stringRecord.optional(),
  body: templatedValue.optional().meta({ description: 'Default: the run, the workflow and the error as JSON.' }),
  timeout,
});
