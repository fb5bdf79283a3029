// Who may call what: one row per route the HTTP app mounts and per console route with
// an action. authorization-matrix.test.ts takes the route list from the real routers
// (Koa router stacks, the console's React Router build) and fails for a route without
// a row here, so a new route has to say who may call it.
//
// Principals: anonymous; console sessions of each role; API keys with the read scope,
// the write scope, and a read+write key limited to workflow "matrix".
// Outcomes: 'ok' (authorized: any answer but 401/403 and below 500), 401, 403, and for
// console pages 'login' (sent to /login).
import type { UserRole } from '../../db/schema.js';

export const SESSIONS: readonly UserRole[] = ['viewer', 'editor', 'admin', 'owner'];
export const KEYS = ['key:read', 'key:write', 'key:workflow'] as const;
export type Principal = 'anonymous' | UserRole | (typeof KEYS)[number];
export type Outcome = 'ok' | 401 | 403 | 'login';
export type Expectations = Record<Principal, Outcome>;

const RANK: Record<UserRole, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };
const byRole = (least: UserRole | null): Record<UserRole, Outcome> =>
  Object.fromEntries(SESSIONS.map((r) => [r, least === null ? 401 : RANK[r] >= RANK[least] ? 'ok' : 403])) as Record<UserRole, Outcome>;

/** An API key with `scope` (write implies read), or a session of `role` or above; `limited`: the route names its workflow. */
function keyOrSession(scope: 'read' | 'write', role: UserRole, limited = false): Expectations {
  return {
    anonymous: 401,
    ...byRole(role),
    'key:read': scope === 'read' ? 'ok' : 403,
    'key:write': 'ok',
    'key:workflow': limited ? 'ok' : 403,
  };
}

/** An API key only: console sessions are not accepted (401). */
function keyOnly(scope: 'read' | 'write'): Expectations {
  return { anonymous: 401, ...byRole(null), 'key:read': scope === 'read' ? 'ok' : 403, 'key:write': 'ok', 'key:workflow': 403 };
}

const open: Expectations = { anonymous: 'ok', ...byRole('viewer'), 'key:read': 'ok', 'key:write': 'ok', 'key:workflow': 'ok' };

export interface ApiRow {
  /** The request made for the route; targets that do not exist, or bodies that do not validate, so an authorized call changes nothing others depend on. */
  path: string;
  body?: { json?: unknown; yaml?: string };
  expect: Expectations;
}

/** Keyed by `METHOD /path` as the router declares it. `{run}` is a finished run of workflow "matrix". */
export const API_ROUTES: Record<string, ApiRow> = {
  'GET /healthz': { path: '/healthz', expect: open },
  'GET /api/version': { path: '/api/version', expect: open },
  'GET /api/openapi.json': { path: '/api/openapi.json', expect: open },
  'GET /metrics': { path: '/metrics', expect: keyOnly('read') },

  'GET /api/runs': { path: '/api/runs?workflow=matrix', expect: keyOrSession('read', 'viewer', true) },
  'POST /api/runs/retry': { path: '/api/runs/retry?workflow=matrix&status=cancelled', expect: keyOrSession('write', 'editor', true) },
  'POST /api/runs/cancel': { path: '/api/runs/cancel?workflow=matrix&status=waiting', expect: keyOrSession('write', 'editor', true) },
  'GET /api/runs/:id': { path: '/api/runs/{run}', expect: keyOrSession('read', 'viewer') },
  'GET /api/runs/:id/events': { path: '/api/runs/{run}/events', expect: keyOrSession('read', 'viewer') },
  'POST /api/runs/:id/cancel': { path: '/api/runs/{run}/cancel', expect: keyOrSession('write', 'editor') },
  'POST /api/runs/:id/retry': {
    path: '/api/runs/{run}/retry',
    body: { json: { from_step: 'no_such_step' } },
    expect: keyOrSession('write', 'editor'),
  },

  'GET /api/connections': { path: '/api/connections', expect: keyOrSession('read', 'viewer') },
  'POST /api/connections': { path: '/api/connections', body: { json: {} }, expect: keyOrSession('write', 'admin') },
  'POST /api/connections/test': { path: '/api/connections/test', body: { json: {} }, expect: keyOrSession('write', 'admin') },
  'PUT /api/connections/:name': { path: '/api/connections/matrix_none', body: { json: {} }, expect: keyOrSession('write', 'admin') },
  'DELETE /api/connections/:name': { path: '/api/connections/matrix_none', expect: keyOrSession('write', 'admin') },
  'POST /api/connections/:name/test': { path: '/api/connections/matrix_none/test', expect: keyOrSession('write', 'admin') },

  'GET /api/secrets': { path: '/api/secrets', expect: keyOnly('read') },
  'PUT /api/secrets/:name': { path: '/api/secrets/matrix_none', body: { json: {} }, expect: keyOnly('write') },
  'DELETE /api/secrets/:name': { path: '/api/secrets/matrix_none', expect: keyOnly('write') },

  'GET /api/variables': { path: '/api/variables', expect: keyOnly('read') },
  'PUT /api/variables/:name': { path: '/api/variables/matrix_none', body: { json: {} }, expect: keyOnly('write') },
  'DELETE /api/variables/:name': { path: '/api/variables/matrix_none', expect: keyOnly('write') },

  'GET /api/templates': { path: '/api/templates', expect: keyOnly('read') },
  'GET /api/templates/:name': { path: '/api/templates/matrix_none', expect: keyOnly('read') },
  'PUT /api/templates/:name': { path: '/api/templates/matrix_none', body: { json: {} }, expect: keyOnly('write') },
  'POST /api/templates/:name/preview': { path: '/api/templates/matrix_none/preview', body: { json: {} }, expect: keyOnly('read') },
  'DELETE /api/templates/:name': { path: '/api/templates/matrix_none', expect: keyOnly('write') },

  'GET /api/keys': { path: '/api/keys', expect: keyOnly('read') },
  'POST /api/keys': { path: '/api/keys', body: { json: { scopes: ['no_such_scope'] } }, expect: keyOnly('write') },
  'DELETE /api/keys/:id': { path: '/api/keys/00000000-0000-0000-0000-000000000000', expect: keyOnly('write') },

  'GET /api/stats': { path: '/api/stats', expect: keyOnly('read') },
  'POST /api/import/zapier': { path: '/api/import/zapier', body: { json: {} }, expect: keyOnly('write') },

  'GET /api/workflows': { path: '/api/workflows', expect: keyOrSession('read', 'viewer') },
  'GET /api/workflows/:slug': { path: '/api/workflows/matrix', expect: keyOrSession('read', 'viewer', true) },
  'POST /api/workflows/:slug/enable': { path: '/api/workflows/matrix/enable', expect: keyOrSession('write', 'editor', true) },
  'POST /api/workflows/:slug/disable': { path: '/api/workflows/matrix/disable', expect: keyOrSession('write', 'editor', true) },
  'POST /api/workflows/:slug/runs': {
    path: '/api/workflows/matrix/runs',
    body: { json: { data: {} } },
    expect: keyOrSession('write', 'editor', true),
  },
  'POST /api/workflows/validate': { path: '/api/workflows/validate', body: { yaml: 'name: [' }, expect: keyOrSession('read', 'viewer') },
  'POST /api/workflows': { path: '/api/workflows', body: { yaml: 'name: [' }, expect: keyOrSession('write', 'editor') },
  'PUT /api/workflows/:slug': { path: '/api/workflows/matrix', body: { yaml: 'name: [' }, expect: keyOrSession('write', 'editor') },
  'DELETE /api/workflows/:slug': { path: '/api/workflows/matrix-none', expect: keyOrSession('write', 'editor') },
  'GET /api/workflows/:slug/versions': { path: '/api/workflows/matrix/versions', expect: keyOrSession('read', 'viewer') },
  'GET /api/workflows/:slug/versions/:version': { path: '/api/workflows/matrix/versions/1', expect: keyOrSession('read', 'viewer') },
  'POST /api/workflows/:slug/rollback': {
    path: '/api/workflows/matrix/rollback',
    body: { json: { version: 999 } },
    expect: keyOrSession('write', 'editor'),
  },
  'POST /api/workflows/test': { path: '/api/workflows/test', body: { json: {} }, expect: keyOrSession('write', 'editor') },
  'POST /api/workflows/:slug/test': {
    path: '/api/workflows/matrix/test',
    body: { json: { data: {} } },
    expect: keyOrSession('write', 'editor', true),
  },
  'POST /api/workflows/:slug/listen': { path: '/api/workflows/matrix/listen', expect: keyOrSession('write', 'editor', true) },
  'GET /api/workflows/:slug/samples': { path: '/api/workflows/matrix/samples', expect: keyOrSession('read', 'viewer', true) },
  // The matrix workflow is no database or email trigger: 'ok' here is the route's refusal of it, past the access check.
  'POST /api/workflows/:slug/table-sample': { path: '/api/workflows/matrix/table-sample', expect: keyOrSession('write', 'editor', true) },
  'POST /api/workflows/:slug/mailbox-sample': {
    path: '/api/workflows/matrix/mailbox-sample',
    expect: keyOrSession('write', 'editor', true),
  },

  // Webhooks authenticate by their own trigger settings (test/triggers/webhook*), not by role or key scope.
  'ALL /hooks/{*path}': { path: '/hooks/matrix-none', body: { json: {} }, expect: open },
  'ALL /hooks-test/{*path}': { path: '/hooks-test/matrix-none', body: { json: {} }, expect: open },
};

/**
 * Least role per form intent of a console route: 'user' is any session; or the outcome
 * for each principal, for the pages open to everyone.
 */
export type ConsoleRule = 'user' | UserRole | Record<'anonymous' | UserRole, Outcome>;

export interface ConsoleRow {
  /** The page the form posts to (`{run}` as above). */
  path: string;
  intents: Record<string, ConsoleRule>;
  /** Form fields besides the intent. */
  fields?: Record<string, string>;
}

const everyone = (outcome: Outcome): Record<'anonymous' | UserRole, Outcome> => ({
  anonymous: outcome,
  viewer: outcome,
  editor: outcome,
  admin: outcome,
  owner: outcome,
});

/** The password test users are created with (test/helpers/api.ts). */
export const TEST_PASSWORD = 'correct horse battery staple';

/** Keyed by the route id of the console's React Router build. */
export const CONSOLE_ACTIONS: Record<string, ConsoleRow> = {
  // No credentials in the form: a failed login; a session is sent on to the console.
  'routes/login': { path: '/login', intents: { '': { ...everyone('ok'), anonymous: 401 } } },
  // The owner exists, so setup is over: everyone is sent to log in.
  'routes/setup': { path: '/setup', intents: { '': everyone('login') } },
  'routes/logout': { path: '/logout', intents: { '': everyone('login') } },
  // Each session changes its own password (to the same one again).
  'routes/account': {
    path: '/account',
    intents: { '': 'user' },
    fields: { current: TEST_PASSWORD, password: TEST_PASSWORD, confirm: TEST_PASSWORD },
  },
  'routes/builder': { path: '/builder', intents: { '': 'editor' } },
  'routes/connections': { path: '/connections', intents: { delete: 'admin', 'test-saved': 'admin', test: 'admin', save: 'admin' } },
  'routes/import': { path: '/import', intents: { preview: 'user', apply: 'editor' } },
  'routes/keys': { path: '/keys', intents: { create: 'admin', revoke: 'admin' } },
  'routes/run': { path: '/runs/{run}', intents: { cancel: 'editor', 'retry-failed': 'editor', 'retry-start': 'editor', other: 'user' } },
  'routes/runs': { path: '/runs', intents: { cancel: 'editor', retry: 'editor' } },
  'routes/secrets': { path: '/secrets', intents: { set: 'admin', delete: 'admin' } },
  'routes/templates': { path: '/templates', intents: { preview: 'user', save: 'editor', delete: 'editor' } },
  'routes/users': { path: '/users', intents: { create: 'owner', role: 'owner', disable: 'owner', enable: 'owner' } },
  'routes/variables': { path: '/variables', intents: { set: 'editor', delete: 'editor' } },
  'routes/workflow-new': { path: '/workflows/new', intents: { validate: 'editor', save: 'editor' } },
  // The workflow page holds its editor: save, roll back and delete post here too.
  'routes/workflow': {
    path: '/workflows/matrix',
    intents: { enable: 'editor', disable: 'editor', run: 'editor', save: 'editor', rollback: 'editor', delete: 'editor' },
  },
};

/** The outcome a console rule gives each session principal (keys do not open console pages). */
export function consoleExpectations(rule: ConsoleRule): Record<'anonymous' | UserRole, Outcome> {
  if (typeof rule === 'object') return rule;
  return { anonymous: 'login', ...byRole(rule === 'user' ? 'viewer' : rule) };
}
