// Which workflow answers /hooks/<path>: a table built from the current version of
// every workflow with a webhook trigger, rebuilt when workflows change. Every HTTP
// process keeps its own. A webhook is served at its trigger's `path` (default
// /<slug>) and, when the path is something else, also at /<slug> (the spec's
// `/hooks/{workflow_id}`) unless another workflow claims that path.
//
// Two enabled workflows claiming one path and method is answered 409 at request time
// (naming both) rather than refused at apply time: applying is a plain database write
// (also from psql), and a clash must not stop the other workflow from being saved.
import { sql } from 'kysely';
import { currentWorkflows } from '../../../db/queries/workflow-store.js';
import type { Db } from '../../../db/client.js';
import type { Logger } from '../../logger.js';
import type { WebhookTrigger, WorkflowDefinition } from '../../workflow/types.js';
import { serialTask, type SerialTask } from '../serial-task.js';
import type { WorkflowChangeFeed } from '../workflow-changes.js';

export interface WebhookRoute {
  slug: string;
  enabled: boolean;
  trigger: WebhookTrigger;
  /** The workflow and the version the trigger comes from (absent for a draft's test capture). */
  workflow?: { id: number; name: string; version: number };
}

export type RouteMatch =
  | { kind: 'ok'; route: WebhookRoute }
  | { kind: 'not_found' }
  | { kind: 'disabled'; route: WebhookRoute }
  | { kind: 'method_not_allowed'; allow: string[] }
  | { kind: 'conflict'; slugs: string[] };

/** `/orders/new/` and `/orders/new` are one path. */
export function normalizeHookPath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

export function buildRoutes(routes: WebhookRoute[]): Map<string, WebhookRoute[]> {
  const table = new Map<string, WebhookRoute[]>();
  for (const route of routes) {
    const path = normalizeHookPath(route.trigger.path);
    table.set(path, [...(table.get(path) ?? []), route]);
  }
  for (const route of routes) {
    const alias = `/${route.slug}`;
    if (!table.has(alias)) table.set(alias, [route]);
  }
  return table;
}

export function matchRoute(table: Map<string, WebhookRoute[]>, path: string, method: string): RouteMatch {
  const candidates = table.get(normalizeHookPath(path));
  if (!candidates) return { kind: 'not_found' };
  const enabled = candidates.filter((r) => r.enabled);
  if (enabled.length === 0) {
    return { kind: 'disabled', route: candidates.find((r) => r.trigger.method === method) ?? candidates[0]! };
  }
  const matching = enabled.filter((r) => r.trigger.method === method);
  if (matching.length === 0) return { kind: 'method_not_allowed', allow: [...new Set(enabled.map((r) => r.trigger.method))] };
  if (matching.length > 1) return { kind: 'conflict', slugs: matching.map((r) => r.slug) };
  return { kind: 'ok', route: matching[0]! };
}

export interface WebhookRouteTable {
  /**
   * Finds the route. On a miss the table is checked against the database first (a
   * hook applied a moment ago may not have been announced yet): one cheap query,
   * shared by concurrent misses, and a reload only when workflows changed.
   */
  match(path: string, method: string): Promise<RouteMatch>;
  stop(): Promise<void>;
}

/** Changes whenever a workflow is applied, enabled, disabled, added or removed. */
async function fingerprint(db: Db): Promise<string> {
  const { rows } = await sql<{ n: number; at: Date | null; v: number | null }>`
    select count(*)::int as n, max(updated_at) as at, sum(current_version)::int as v from khaosflow.workflows`.execute(db);
  const row = rows[0]!;
  return `${row.n}:${row.at?.getTime() ?? 0}:${row.v ?? 0}`;
}

export function startWebhookRouteTable(opts: { db: Db; feed: WorkflowChangeFeed; logger: Logger }): WebhookRouteTable {
  let table = new Map<string, WebhookRoute[]>();
  let loadedFingerprint = '';
  const reload: SerialTask = serialTask(
    'webhook route table reload',
    async () => {
      const current = await fingerprint(opts.db);
      const workflows = await currentWorkflows<WorkflowDefinition>(opts.db);
      const routes = workflows
        .filter((w) => w.definition.trigger?.type === 'webhook')
        .map((w) => ({
          slug: w.slug,
          enabled: w.enabled,
          trigger: w.definition.trigger as WebhookTrigger,
          workflow: { id: w.id, name: w.name, version: w.version },
        }));
      table = buildRoutes(routes);
      loadedFingerprint = current;
    },
    opts.logger,
  );
  const recheck: SerialTask = serialTask(
    'webhook route table check',
    async () => {
      if ((await fingerprint(opts.db)) !== loadedFingerprint) await reload.request();
    },
    opts.logger,
  );
  const unsubscribe = opts.feed.subscribe(() => void reload.request());
  void reload.request();

  return {
    async match(path, method) {
      const found = matchRoute(table, path, method);
      if (found.kind !== 'not_found' && found.kind !== 'disabled') return found;
      await recheck.request();
      return matchRoute(table, path, method);
    },
    async stop() {
      unsubscribe();
      await recheck.stop();
      await reload.stop();
    },
  };
}
