// The flow builder's palette: every trigger and action type of the language, plugin
// actions included, each with a JSON Schema from its one zod definition; the templates
// it offers are valid steps.
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { z } from 'zod';
import { variantsOf } from '../../app/flow/field-kind.js';
import { ActionRegistry } from '../../server/core/action-registry.js';
import { parseWorkflow } from '../../server/workflow/parse-workflow.js';
import { actionTypeNames, registerActionSchema, unregisterActionSchema } from '../../server/workflow/schema/actions.js';
import { SENDER_SECRET_HINTS } from '../../server/workflow/schema/triggers.js';
import { builderTemplates, languageCatalog } from '../../server/workflows/builder-catalog.js';

afterEach(() => unregisterActionSchema('slack_post'));

describe('builder catalog', () => {
  it('lists every trigger type and action type, plugins included, each with its schema', () => {
    registerActionSchema('slack_post', z.object({ channel: z.string(), text: z.string() }));
    const catalog = languageCatalog({ actions: new ActionRegistry() });
    expect(catalog.triggers.map((t) => t.type)).toEqual(['webhook', 'schedule', 'manual', 'database', 'file_watcher', 'email']);
    expect(catalog.actions.map((a) => a.type)).toEqual(actionTypeNames());
    const plugin = catalog.actions.find((a) => a.type === 'slack_post')!;
    expect(plugin.plugin).toBe(true);
    expect(plugin.schema).toMatchObject({
      properties: { channel: { type: 'string' }, text: { type: 'string' } },
      required: expect.arrayContaining(['channel', 'text']),
    });
    const insert = catalog.actions.find((a) => a.type === 'database_insert')!;
    expect(insert).toMatchObject({ plugin: false, schema: { required: expect.arrayContaining(['type', 'table', 'data']) } });
    expect(catalog.actions.find((a) => a.type === 'run_script')!.kinds).toEqual({ raw: ['code'] });
  });

  it.each(builderTemplates.map((template) => [template.title, template] as const))('template "%s" is a valid step', (_title, template) => {
    const parsed = parseWorkflow(stringify({ name: 'Template check', trigger: { type: 'manual' }, steps: [template.step] }));
    expect(parsed.ok ? [] : parsed.problems.map((p) => p.message)).toEqual([]);
  });

  it("gives the webhook trigger's authentication types from the schema, each sender with where to find its secret", () => {
    const webhook = languageCatalog({ actions: new ActionRegistry() }).triggers.find((t) => t.type === 'webhook')!;
    const authentication = (webhook.schema.properties as Record<string, Record<string, unknown>>).authentication!;
    const variants = variantsOf(authentication)!;
    expect(variants.map((v) => v.type)).toEqual(['none', 'api_key', 'hmac', 'github', 'stripe', 'shopify', 'slack', 'standard_webhooks']);
    for (const [sender, hint] of Object.entries(SENDER_SECRET_HINTS)) {
      const variant = variants.find((v) => v.type === sender)!;
      expect(variant.hint).toBe(hint);
      expect(Object.keys(variant.schema.properties as object)).toEqual(expect.arrayContaining(['secret', 'secrets']));
    }
    expect(variants.find((v) => v.type === 'hmac')!.schema.properties).toHaveProperty('encoding');
  });
});
