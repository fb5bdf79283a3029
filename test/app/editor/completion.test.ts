// What the YAML editor offers: keys and values from the workflow JSON Schema, and the
// run context's names inside {{ }}.
import { describe, expect, it } from 'vitest';
import { expressionOptions } from '../../../app/editor/expression-completion.js';
import { schemaOptions } from '../../../app/editor/schema-completion.js';
import { yamlCursor } from '../../../app/editor/yaml-context.js';
import { workflowJsonSchema } from '../../../server/workflow/json-schema.js';

const schema = workflowJsonSchema();
const labels = (text: string) => schemaOptions(schema, yamlCursor(text.replace('|', ''), text.indexOf('|'))!).map((o) => o.label);
const names = { vars: ['base_url'], secrets: ['API_TOKEN'] };
const inTemplate = (text: string) => expressionOptions(text.replace('|', ''), text.indexOf('|'), names)?.options.map((o) => o.label);

describe('schema completion', () => {
  it('offers the top-level keys not written yet', () => {
    const offered = labels('name: A\n|');
    expect(offered).toEqual(expect.arrayContaining(['trigger', 'steps', 'error_handling', 'vars']));
    expect(offered).not.toContain('name');
  });

  it('offers trigger types as values of trigger.type', () => {
    expect(labels('trigger:\n  type: |')).toEqual(
      expect.arrayContaining(['webhook', 'schedule', 'manual', 'database', 'file_watcher', 'email']),
    );
  });

  it('offers the keys of the action type written beside the cursor', () => {
    const offered = labels('steps:\n  - name: Call\n    action:\n      type: http_request\n      |');
    expect(offered).toEqual(expect.arrayContaining(['url', 'method', 'headers']));
    expect(offered).not.toContain('type');
  });

  it('offers action types, filtered by what was typed', () => {
    expect(labels('steps:\n  - name: Call\n    action:\n      type: http|')).toEqual(['http_request']);
  });
});

describe('{{ }} completion', () => {
  it('offers the context names after {{', () => {
    expect(inTemplate('message: "{{|')).toEqual(expect.arrayContaining(['trigger', 'steps', 'vars', 'secrets']));
  });

  it('offers only the steps above the cursor, then result', () => {
    const text =
      'steps:\n  - name: Check Inventory\n    action: { type: log, message: x }\n  - name: Ship\n    action:\n      type: log\n      message: "{{steps.|';
    expect(inTemplate(text)).toEqual(['check_inventory']);
    expect(inTemplate('steps:\n  - name: B\n    action: { type: log, message: "{{steps.a.r|" }')).toEqual(['result']);
  });

  it('offers variable and secret names, and nothing outside a template', () => {
    expect(inTemplate('url: "{{vars.|')).toEqual(['base_url']);
    expect(inTemplate('token: "{{secrets.A|')).toEqual(['API_TOKEN']);
    expect(inTemplate('message: "{{trigger.data}} and |')).toBeUndefined();
  });
});
