// The OpenAPI 3.1 document of API_ROUTES: parameters and request bodies are the zod
// schemas' JSON Schema (z.toJSONSchema), so the document says what the API checks.
import { z } from 'zod';
import { API_ROUTES, type ApiRoute } from './routes.js';

/** `/api/runs/:id` -> `/api/runs/{id}`, `/hooks/{*path}` -> `/hooks/{path}`. */
export const openApiPath = (path: string) => path.replace(/:([a-z_]+)/g, '{$1}').replace(/\{\*([a-z_]+)\}/g, '{$1}');

const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

function operation(route: ApiRoute) {
  const pathParams = [...route.path.matchAll(/(?::|\{\*)([a-z_]+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = route.query ? (jsonSchema(route.query) as { properties?: Record<string, Record<string, unknown>> }) : null;
  const queryParams = Object.entries(query?.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: false,
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    schema,
  }));
  const access =
    route.scope === 'none'
      ? 'Open.'
      : `API key scope \`${route.scope}\`${route.role ? `, or a console session of role ${route.role} or above` : ''}.`;
  return {
    summary: route.summary,
    description: `${access} Answers: ${route.response}`,
    'x-khaosflow-scope': route.scope,
    ...(route.role ? { 'x-khaosflow-role': route.role } : {}),
    parameters: [...pathParams, ...queryParams],
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } } }
      : route.yaml
        ? { requestBody: { required: true, content: { 'application/yaml': { schema: { type: 'string' } } } } }
        : {}),
    ...(route.scope === 'none' ? { security: [] } : {}),
    responses: { default: { description: route.response } },
  };
}

const METHODS = ['get', 'post', 'put', 'delete'] as const;

export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    const entry = paths[path];
    const methods = route.method === 'ALL' ? METHODS : [route.method.toLowerCase() as (typeof METHODS)[number]];
    for (const method of methods) entry[method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'KhaosFlow API', version, description: 'Send an API key as `Authorization: Bearer kf_...`.' },
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
    security: [{ apiKey: [] }],
    paths,
  };
}
