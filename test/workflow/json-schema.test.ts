// The JSON Schema editors get from `khaosflow schema`.
import { describe, expect, it } from 'vitest';
import { workflowJsonSchema } from '../../server/workflow/json-schema.js';
import { actionTypeNames } from '../../server/workflow/schema/actions.js';

describe('workflow JSON Schema', () => {
  const schema = workflowJsonSchema();
  const text = JSON.stringify(schema);

  it('is draft-07 and accepts both document forms', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.anyOf).toHaveLength(2);
    expect(text).toContain('"required":["workflow"]');
  });

  it('describes every action and trigger type', () => {
    for (const type of [...actionTypeNames(), 'webhook', 'schedule', 'manual', 'database', 'file_watcher', 'email']) {
      expect(text).toContain(`"const":"${type}"`);
    }
  });

  it('lists the webhook sender types, each with where to find its secret', () => {
    for (const [type, where] of Object.entries({
      github: 'Settings > Webhooks',
      stripe: 'Signing secret',
      shopify: 'Client secret',
      slack: 'Signing Secret',
      standard_webhooks: 'whsec_',
    })) {
      expect(text).toMatch(new RegExp(`"const":"${type}","description":"[^"]*${where}`));
    }
    expect(text).toContain('{timestamp}.{method}.{path}.{query}.{body}');
  });

  it('shows durations as authors write them and closes objects to unknown keys', () => {
    expect(text).toContain('(ms|s|m|h|d)');
    expect(text).toContain('"additionalProperties":false');
  });
});
