import { type RouteConfig, index, layout, route } from '@react-router/dev/routes';

export default [
  // Open to everyone: logging in and the one-time owner setup.
  route('login', 'routes/login.tsx'),
  route('setup', 'routes/setup.tsx'),
  route('logout', 'routes/logout.tsx'),
  // Everything else needs a logged-in user (the layout's middleware checks).
  layout('routes/console-layout.tsx', [
    index('routes/workflows.tsx'),
    route('workflows/new', 'routes/workflow-new.tsx'),
    route('workflows/:slug', 'routes/workflow.tsx'),
    // The editor is on the workflow's page; this only redirects there.
    route('workflows/:slug/edit', 'routes/workflow-edit.tsx'),
    // The flow builder's palette (GET) and draft checks (POST): data only, no page.
    route('builder', 'routes/builder.tsx'),
    route('runs', 'routes/runs.tsx'),
    route('runs/:id', 'routes/run.tsx'),
    route('secrets', 'routes/secrets.tsx'),
    route('connections', 'routes/connections.tsx'),
    route('variables', 'routes/variables.tsx'),
    route('templates', 'routes/templates.tsx'),
    route('keys', 'routes/keys.tsx'),
    route('import', 'routes/import.tsx'),
    route('api-docs', 'routes/api-docs.tsx'),
    route('users', 'routes/users.tsx'),
    route('account', 'routes/account.tsx'),
  ]),
] satisfies RouteConfig;
