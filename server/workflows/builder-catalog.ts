// What the flow builder's palette and forms offer: every trigger type and every action
// type of the workflow language (plugins included), each with the JSON Schema of what a
// workflow file may write for it, derived from the same zod schema validation uses, plus
// pre-filled templates and the names of the connections, email templates and secrets
// that exist (so forms offer them in selects) and the variable names `{{ }}` completes. Sent to the console as loader data.
import { z } from 'zod';
import type { Services } from '../services.js';
import { actionEditorSchemas, actionTypeNames, paramKinds, type ParamKinds, registerActionSchema } from '../workflow/schema/actions.js';
import { triggerSchemas } from '../workflow/schema/triggers.js';

export type JsonSchema = Record<string, unknown>;

export interface CatalogEntry {
  type: string;
  title: string;
  /** JSON Schema of the trigger or action object as written (`type` included). */
  schema: JsonSchema;
  /** Added by a plugin. */
  plugin: boolean;
  /** Params the action reads itself (raw) or evaluates per item (expression): no `{{ }}` there. */
  kinds: ParamKinds;
}

/** A pre-filled step: what most people want from an action type, ready to adjust. */
export interface CatalogTemplate {
  title: string;
  /** The step as it is inserted (its name is made unique when dropped). */
  step: { name: string; action: Record<string, unknown> };
}

export interface BuilderCatalog {
  triggers: CatalogEntry[];
  actions: CatalogEntry[];
  templates: CatalogTemplate[];
  connections: Array<{ name: string; type: string }>;
  emailTemplates: string[];
  secrets: string[];
  /** Variable names ({{vars.NAME}}), for `{{ }}` completion. */
  variables: string[];
}

const triggerTitles: Record<string, string> = {
  webhook: 'Webhook',
  schedule: 'Schedule',
  manual: 'Manual run',
  database: 'Database row change',
  file_watcher: 'File watcher',
  email: 'Incoming email',
};

export const builderTemplates: CatalogTemplate[] = [
  {
    title: 'POST JSON to an API',
    step: {
      name: 'Call API',
      action: { type: 'http_request', method: 'POST', url: 'https://api.example.com/items', body: { id: '{{trigger.data.id}}' } },
    },
  },
  {
    title: 'Insert a row',
    step: { name: 'Insert Row', action: { type: 'database_insert', table: 'items', data: '{{trigger.data}}' } },
  },
  {
    title: 'Send a templated email',
    step: { name: 'Send Email', action: { type: 'send_email', to: '{{trigger.data.email}}', template: 'welcome' } },
  },
  {
    title: 'Run a node script',
    step: { name: 'Run Script', action: { type: 'run_script', runtime: 'node', code: 'return { received: context.trigger.data };\n' } },
  },
];

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { target: 'draft-07', io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

function titleOf(type: string): string {
  return type.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/**
 * Makes the workflow language know every action type this process runs. The console is
 * a separate bundle with its own copy of the language's registry, and plugins register
 * in the server's copy at start-up; without this the palette would miss plugin actions
 * and the builder's checks would call them unknown.
 */
export function learnRegisteredActions(services: Pick<Services, 'actions'>): void {
  const known = new Set(actionTypeNames());
  for (const action of services.actions.list()) {
    if (known.has(action.type)) continue;
    registerActionSchema(
      action.type,
      (action.params as z.ZodType | undefined) ?? z.looseObject({}),
      action.rawParams ? { raw: action.rawParams } : {},
    );
  }
}

/** Trigger and action types with their schemas; the same for every user of this process. */
export function languageCatalog(services: Pick<Services, 'actions'>): Pick<BuilderCatalog, 'triggers' | 'actions' | 'templates'> {
  learnRegisteredActions(services);
  const triggers = Object.entries(triggerSchemas).map(([type, schema]) => ({
    type,
    title: triggerTitles[type] ?? titleOf(type),
    schema: jsonSchemaOf(schema),
    plugin: false,
    kinds: {},
  }));
  const actions = actionEditorSchemas().map(({ type, schema, plugin }) => ({
    type,
    title: services.actions.get(type)?.title ?? titleOf(type),
    schema: jsonSchemaOf(schema),
    plugin,
    kinds: paramKinds(type),
  }));
  return { triggers, actions, templates: builderTemplates };
}

/** The palette, the templates and the names forms offer. */
export async function builderCatalog(
  services: Pick<Services, 'actions' | 'vault' | 'emailTemplates' | 'variables'>,
): Promise<BuilderCatalog> {
  const [connections, templates, secrets, variables] = await Promise.all([
    services.vault.connections.list(),
    services.emailTemplates.list(),
    services.vault.secrets.list(),
    services.variables.list(),
  ]);
  return {
    ...languageCatalog(services),
    connections: connections.map(({ name, type }) => ({ name, type: String(type) })),
    emailTemplates: templates.map((template) => template.name).sort(),
    secrets: secrets.map((secret) => secret.name).sort(),
    variables: [...new Set(variables.map((variable) => variable.name))].sort(),
  };
}
