// Every /api route and /hooks, declared once with who may call it and the zod schemas
// that validate its query or body (the same objects the routes and services parse
// with). The OpenAPI document (./document.ts) is generated from this list; a test
// checks that every route the Koa routers mount appears here.
import { z } from 'zod';
import { runFilterSchema, runListQuerySchema } from '../../runs/history.js';
import { apiKeyInput } from '../../settings/api-keys.js';
import { previewInput, templateInput } from '../../settings/email-templates.js';
import { secretInput } from '../../settings/secrets.js';
import { variableInput } from '../../settings/variables.js';
import { STATS_WINDOWS } from '../../stats/dashboard.js';
import { createConnectionSchema, testConnectionSchema, updateConnectionSchema } from '../api/connections-controller.js';

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'ALL';
  /** As Koa mounts it: `/api/runs/:id`, `/hooks/{*path}`. */
  path: string;
  /** The API key scope it needs (`none`: open). */
  scope: 'read' | 'write' | 'webhook' | 'none';
  /** The least console role a session needs, when sessions are accepted. */
  role?: 'viewer' | 'editor' | 'admin';
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body is YAML (a workflow) rather than JSON. */
  yaml?: boolean;
  response: string;
}

const retryBody = z.object({
  from_failed_step: z.boolean().optional().describe('Start at the failed step (default) or from the first'),
  latest_version: z.boolean().optional().describe("Run the workflow's current version"),
  from_step: z.string().optional().describe('Re-run from this step slug, carrying over the steps before it'),
});
const runData = z.object({ data: z.record(z.string(), z.unknown()).optional() });
const draftTest = z.object({ yaml: z.string(), data: z.record(z.string(), z.unknown()).optional() });
const statsQuery = z.object({ window: z.enum(Object.keys(STATS_WINDOWS) as [string, ...string[]]).optional() });
const importQuery = z.object({
  apply: z.enum(['true', 'false']).optional().describe('Also store the workflows (disabled until reviewed)'),
});
const rollbackBody = z.object({ version: z.number().int().positive() });

export const API_ROUTES: ApiRoute[] = [
  { method: 'GET', path: '/healthz', scope: 'none', summary: 'Liveness and database reachability', response: '{"status":"ok"}' },
  { method: 'GET', path: '/api/version', scope: 'none', summary: 'The running version', response: '{"version"}' },
  { method: 'GET', path: '/metrics', scope: 'none', summary: 'Prometheus metrics', response: 'text/plain exposition format' },
  { method: 'GET', path: '/api/openapi.json', scope: 'none', summary: 'This document', response: 'OpenAPI 3.1 JSON' },

  {
    method: 'GET',
    path: '/api/runs',
    scope: 'read',
    role: 'viewer',
    summary: 'Runs newest first, filtered, one keyset page',
    query: runListQuerySchema,
    response: '{"runs":[...],"next":cursor|null}',
  },
  {
    method: 'POST',
    path: '/api/runs/retry',
    scope: 'write',
    role: 'editor',
    summary: 'Retry the failed and cancelled runs the filters select (500 per call)',
    query: runFilterSchema,
    response: '{"action","runs":[{"id","retry_of"}],"more"}',
  },
  {
    method: 'POST',
    path: '/api/runs/cancel',
    scope: 'write',
    role: 'editor',
    summary: 'Cancel the queued, running and waiting runs the filters select',
    query: runFilterSchema,
    response: '{"action","runs":[{"id"}],"more"}',
  },
  { method: 'GET', path: '/api/runs/:id', scope: 'read', role: 'viewer', summary: 'A run with its step attempts', response: 'the run' },
  {
    method: 'GET',
    path: '/api/runs/:id/events',
    scope: 'read',
    role: 'viewer',
    summary: 'Live run events (server-sent events)',
    response: 'text/event-stream',
  },
  {
    method: 'POST',
    path: '/api/runs/:id/cancel',
    scope: 'write',
    role: 'editor',
    summary: 'Cancel a run',
    response: '{"id","status":"cancelled"}',
  },
  {
    method: 'POST',
    path: '/api/runs/:id/retry',
    scope: 'write',
    role: 'editor',
    summary: 'Retry an ended run',
    body: retryBody,
    response: '201 {"run_id","retry_of"}',
  },

  {
    method: 'GET',
    path: '/api/connections',
    scope: 'read',
    role: 'viewer',
    summary: 'Connections, secrets shown as ***',
    response: '{"connections":[...]}',
  },
  {
    method: 'POST',
    path: '/api/connections',
    scope: 'write',
    role: 'admin',
    summary: 'Create a connection',
    body: createConnectionSchema,
    response: '201 the connection, secrets as ***',
  },
  {
    method: 'POST',
    path: '/api/connections/test',
    scope: 'write',
    role: 'admin',
    summary: 'Test a connection before saving it',
    body: testConnectionSchema,
    response: '{"ok","message","ms"}',
  },
  {
    method: 'PUT',
    path: '/api/connections/:name',
    scope: 'write',
    role: 'admin',
    summary: 'Replace a connection (*** keeps a stored secret)',
    body: updateConnectionSchema,
    response: 'the connection',
  },
  {
    method: 'DELETE',
    path: '/api/connections/:name',
    scope: 'write',
    role: 'admin',
    summary: 'Delete a connection',
    response: '{"deleted"}',
  },
  {
    method: 'POST',
    path: '/api/connections/:name/test',
    scope: 'write',
    role: 'admin',
    summary: 'Test a saved connection',
    response: '{"ok","message","ms"}',
  },

  {
    method: 'GET',
    path: '/api/secrets',
    scope: 'read',
    summary: 'Secret names (never values)',
    response: '{"secrets":[{"name","created_at","updated_at"}]}',
  },
  {
    method: 'PUT',
    path: '/api/secrets/:name',
    scope: 'write',
    summary: 'Set or rotate a secret',
    body: secretInput,
    response: '{"name",...}',
  },
  { method: 'DELETE', path: '/api/secrets/:name', scope: 'write', summary: 'Delete a secret', response: '204' },
  { method: 'GET', path: '/api/variables', scope: 'read', summary: 'Variables', response: '{"variables":[...]}' },
  { method: 'PUT', path: '/api/variables/:name', scope: 'write', summary: 'Set a variable', body: variableInput, response: 'the variable' },
  { method: 'DELETE', path: '/api/variables/:name', scope: 'write', summary: 'Delete a variable', response: '204' },
  { method: 'GET', path: '/api/templates', scope: 'read', summary: 'Email templates', response: '{"templates":[...]}' },
  { method: 'GET', path: '/api/templates/:name', scope: 'read', summary: 'One email template', response: 'the template' },
  {
    method: 'PUT',
    path: '/api/templates/:name',
    scope: 'write',
    summary: 'Save an email template',
    body: templateInput,
    response: 'the template',
  },
  {
    method: 'POST',
    path: '/api/templates/:name/preview',
    scope: 'read',
    summary: 'Render a template with sample data',
    body: previewInput,
    response: '{"subject","html","text"}',
  },
  { method: 'DELETE', path: '/api/templates/:name', scope: 'write', summary: 'Delete an email template', response: '204' },
  { method: 'GET', path: '/api/keys', scope: 'read', summary: 'API keys (never the key itself)', response: '{"keys":[...]}' },
  {
    method: 'POST',
    path: '/api/keys',
    scope: 'write',
    summary: 'Create an API key (shown once)',
    body: apiKeyInput,
    response: '201 {"id","key":"kf_..."}',
  },
  { method: 'DELETE', path: '/api/keys/:id', scope: 'write', summary: 'Revoke an API key', response: '204' },
  { method: 'GET', path: '/api/stats', scope: 'read', summary: "The dashboard's numbers", query: statsQuery, response: 'the stats' },
  {
    method: 'POST',
    path: '/api/import/zapier',
    scope: 'write',
    summary: 'Convert a Zapier export (its JSON as the body)',
    query: importQuery,
    response: '{"workflows":[{"slug","yaml","problems"}],"report"}',
  },

  { method: 'GET', path: '/api/workflows', scope: 'read', role: 'viewer', summary: 'Workflows', response: '{"workflows":[...]}' },
  {
    method: 'POST',
    path: '/api/workflows',
    scope: 'write',
    role: 'editor',
    summary: 'Create a workflow from YAML',
    yaml: true,
    response: '201 the workflow',
  },
  {
    method: 'POST',
    path: '/api/workflows/validate',
    scope: 'read',
    role: 'viewer',
    summary: 'Check a workflow YAML without saving',
    yaml: true,
    response: '{"ok","problems"}',
  },
  {
    method: 'POST',
    path: '/api/workflows/test',
    scope: 'write',
    role: 'editor',
    summary: 'Test-run a draft',
    body: draftTest,
    response: '201 {"run_id"}',
  },
  { method: 'GET', path: '/api/workflows/:slug', scope: 'read', role: 'viewer', summary: 'A workflow', response: 'the workflow' },
  {
    method: 'PUT',
    path: '/api/workflows/:slug',
    scope: 'write',
    role: 'editor',
    summary: 'Save a new version from YAML',
    yaml: true,
    response: 'the workflow',
  },
  { method: 'DELETE', path: '/api/workflows/:slug', scope: 'write', role: 'editor', summary: 'Delete a workflow', response: '204' },
  {
    method: 'POST',
    path: '/api/workflows/:slug/enable',
    scope: 'write',
    role: 'editor',
    summary: 'Enable a workflow',
    response: 'the workflow',
  },
  {
    method: 'POST',
    path: '/api/workflows/:slug/disable',
    scope: 'write',
    role: 'editor',
    summary: 'Disable a workflow',
    response: 'the workflow',
  },
  {
    method: 'POST',
    path: '/api/workflows/:slug/runs',
    scope: 'write',
    role: 'editor',
    summary: 'Start a run',
    body: runData,
    response: '201 {"run_id"}',
  },
  {
    method: 'POST',
    path: '/api/workflows/:slug/test',
    scope: 'write',
    role: 'editor',
    summary: 'Test-run the stored workflow',
    body: runData,
    response: '201 {"run_id"}',
  },
  {
    method: 'GET',
    path: '/api/workflows/:slug/versions',
    scope: 'read',
    role: 'viewer',
    summary: 'Versions',
    response: '{"versions":[...]}',
  },
  {
    method: 'GET',
    path: '/api/workflows/:slug/versions/:version',
    scope: 'read',
    role: 'viewer',
    summary: 'One version',
    response: 'the version with its YAML',
  },
  {
    method: 'POST',
    path: '/api/workflows/:slug/rollback',
    scope: 'write',
    role: 'editor',
    summary: 'Make an older version current',
    body: rollbackBody,
    response: 'the workflow',
  },
  {
    method: 'POST',
    path: '/api/workflows/:slug/listen',
    scope: 'write',
    role: 'editor',
    summary: 'Capture the next webhook calls as samples',
    response: '{"listening_until"}',
  },
  {
    method: 'GET',
    path: '/api/workflows/:slug/samples',
    scope: 'read',
    role: 'viewer',
    summary: 'Captured webhook samples',
    response: '{"samples":[...]}',
  },
  {
    method: 'POST',
    path: '/api/workflows/:slug/table-sample',
    scope: 'write',
    role: 'editor',
    summary: "A database trigger's newest matching row as sample data",
    response: '{"sample":{"data",...}|null}',
  },
  {
    method: 'POST',
    path: '/api/workflows/:slug/mailbox-sample',
    scope: 'write',
    role: 'editor',
    summary: "An email trigger's newest matching message as sample data (left unseen)",
    response: '{"sample":{"data"}|null}',
  },

  {
    method: 'ALL',
    path: '/hooks/{*path}',
    scope: 'webhook',
    summary: "A webhook trigger's endpoint (auth as the trigger says)",
    response: '202 {"run_id"} or the workflow\'s answer',
  },
  { method: 'ALL', path: '/hooks-test/{*path}', scope: 'webhook', summary: 'The same, starting a test run', response: '202 {"run_id"}' },
];
