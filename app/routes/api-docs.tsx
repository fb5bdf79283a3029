import { openApiDocument } from '../../server/http/openapi/document.js';
import { version } from '../../server/version.js';
import type { Route } from './+types/api-docs';

export const meta: Route.MetaFunction = () => [{ title: 'API docs · KhaosFlow' }];

interface Operation {
  summary: string;
  description: string;
  parameters: { name: string; in: string; description?: string }[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[] } }> };
}

// The same document GET /api/openapi.json serves, as a plain list (no external viewer, no scripts of its own).
export function loader() {
  const doc = openApiDocument(version);
  const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, Operation>)
      .filter(([method, op]) => !(path.startsWith('/hooks') && method !== 'post' && op))
      .map(([method, op]) => {
        const content = op.requestBody ? Object.entries(op.requestBody.content)[0] : undefined;
        return {
          key: `${method} ${path}`,
          method: path.startsWith('/hooks') ? 'ANY' : method.toUpperCase(),
          path,
          summary: op.summary,
          description: op.description,
          query: op.parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, description: p.description ?? '' })),
          body: content
            ? { type: content[0], fields: Object.keys(content[1].schema.properties ?? {}), required: content[1].schema.required ?? [] }
            : null,
        };
      }),
  );
  return { routes, version };
}

export default function ApiDocs({ loaderData }: Route.ComponentProps) {
  // Long paths, field names and descriptions wrap rather than widen the page on a phone.
  return (
    <section className="[overflow-wrap:anywhere]">
      <h1 className="text-2xl font-semibold">API docs</h1>
      <p className="mt-1 text-sm text-slate-600">
        KhaosFlow {loaderData.version}. Send an API key as <code>Authorization: Bearer kf_...</code> (create one under API keys). The
        machine-readable document is{' '}
        <a href="/api/openapi.json" className="underline">
          /api/openapi.json
        </a>{' '}
        (OpenAPI 3.1).
      </p>
      <ul className="mt-6 space-y-3">
        {loaderData.routes.map((r) => (
          <li key={r.key} className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
            <div className="flex flex-wrap items-baseline gap-2">
              <span className="w-16 font-mono text-xs font-semibold text-brand-600">{r.method}</span>
              <code className="font-mono break-all">{r.path}</code>
              <span className="text-slate-700">{r.summary}</span>
            </div>
            <p className="mt-1 text-xs text-slate-500">{r.description}</p>
            {r.query.length > 0 ? (
              <p className="mt-1 text-xs">
                Query:{' '}
                {r.query.map((q) => (
                  <code key={q.name} title={q.description} className="mr-2">
                    {q.name}
                  </code>
                ))}
              </p>
            ) : null}
            {r.body ? (
              <p className="mt-1 text-xs">
                Body ({r.body.type}):{' '}
                {r.body.fields.map((f) => (
                  <code key={f} className="mr-2">
                    {f}
                    {r.body?.required.includes(f) ? '*' : ''}
                  </code>
                ))}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
