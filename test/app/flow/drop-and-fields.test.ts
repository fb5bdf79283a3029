// Where a drop on the builder canvas puts a step, and which input the side panel uses
// for a param, read from its JSON Schema.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentGraph } from '../../../app/flow/document-graph.js';
import { applyDrop, dropPlace } from '../../../app/flow/drop.js';
import { fieldKind, textValue, yamlBoxValue } from '../../../app/flow/field-kind.js';
import { starter } from '../../../app/flow/palette.js';
import { ActionRegistry } from '../../../server/core/action-registry.js';
import { languageCatalog } from '../../../server/workflows/builder-catalog.js';

const text = readFileSync('examples/workflows/order-processing.yaml', 'utf8');
const read = documentGraph(text, { slots: true });
if (!read.ok) throw new Error(read.problem.message);
const graph = read.graph;
const log = { kind: 'step', step: { name: 'Note', action: { type: 'log', message: 'x' } } } as const;

describe('dropping on the canvas', () => {
  it('puts a step after the node it is dropped on, before the end of an edge, into a slot, or at the end', () => {
    expect(dropPlace(graph, { node: 'steps[1]' })).toEqual({ list: ['steps'], index: 2 });
    expect(dropPlace(graph, { node: 'trigger' })).toEqual({ list: ['steps'], index: 0 });
    expect(dropPlace(graph, { edge: 'steps[0]->steps[1]' })).toEqual({ list: ['steps'], index: 1 });
    expect(dropPlace(graph, { edge: 'steps[2]->steps[2].condition.then[0]' })).toEqual({
      list: ['steps', 2, 'condition', 'then'],
      index: 0,
    });
    expect(dropPlace(graph, { node: 'slot:steps[2].condition.else' })).toEqual({ list: ['steps', 2, 'condition', 'else'], index: 0 });
    expect(dropPlace(graph, null)).toEqual({ list: ['steps'], index: 5 });
  });

  it('gives a dropped step a free name and moves a dragged step', () => {
    const twice = applyDrop(applyDrop(text, graph, log, null), graph, log, null);
    expect(twice).toContain('- name: Note\n');
    expect(twice).toContain('- name: Note 2\n');
    const moved = applyDrop(text, graph, { kind: 'move', from: ['steps', 4] }, { node: 'slot:steps[2].condition.else' });
    expect(moved).toMatch(/else:\n\s+- name: Send Confirmation/);
  });
});

describe('side panel fields', () => {
  const catalog = languageCatalog({ actions: new ActionRegistry() });
  const schemaOf = (type: string) =>
    catalog.actions.find((a) => a.type === type)!.schema as { properties: Record<string, Record<string, unknown>> };
  const names = { connections: ['crm'], emailTemplates: ['welcome'], secrets: ['api_token'] };

  it('reads each param input from its schema', () => {
    const http = schemaOf('http_request').properties;
    expect(fieldKind('method', http.method!, 'http_request', names)).toEqual({
      kind: 'select',
      options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
    });
    expect(fieldKind('url', http.url!, 'http_request', names)).toEqual({ kind: 'text', numeric: false, multiline: false });
    expect(fieldKind('body', http.body!, 'http_request', names)).toEqual({ kind: 'yaml' });
    expect(fieldKind('fail_on_status', http.fail_on_status!, 'http_request', names)).toEqual({ kind: 'boolean' });
    expect(fieldKind('timeout', http.timeout!, 'http_request', names)).toEqual({ kind: 'text', numeric: true, multiline: false });
    expect(fieldKind('connection', http.connection!, 'http_request', names)).toEqual({ kind: 'select', options: ['crm'] });
    const email = schemaOf('send_email').properties;
    expect(fieldKind('template', email.template!, 'send_email', names)).toEqual({ kind: 'select', options: ['welcome'] });
    expect(fieldKind('code', schemaOf('run_script').properties.code!, 'run_script', names)).toMatchObject({
      kind: 'text',
      multiline: true,
    });
  });

  it('turns what was typed into the value written', () => {
    expect(textValue('', false)).toBeUndefined();
    expect(textValue('30', true)).toBe(30);
    expect(textValue('30s', true)).toBe('30s');
    expect(yamlBoxValue('{{trigger.data}}')).toBe('{{trigger.data}}');
    expect(yamlBoxValue('title: Onboard {{trigger.data.name}}\nassigned_to: "{{trigger.data.owner}}"')).toEqual({
      title: 'Onboard {{trigger.data.name}}',
      assigned_to: '{{trigger.data.owner}}',
    });
    expect(yamlBoxValue('[1, 2]')).toEqual([1, 2]);
    expect(() => yamlBoxValue('a: [1,')).toThrow();
  });

  it('starts a new action with its required params empty', () => {
    expect(starter(catalog.actions.find((a) => a.type === 'database_insert')!)).toEqual({ type: 'database_insert', table: '', data: '' });
  });
});
