// The side panel's `{{ }}` completion is the YAML editor's completion source, fed from the
// builder's graph: the steps before the selected node, variables and secrets that exist.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentGraph } from '../../../app/flow/document-graph.js';
import { fieldCompletion, stepsBefore } from '../../../app/flow/field-completion.js';

const read = documentGraph(readFileSync('examples/workflows/order-processing.yaml', 'utf8'), { slots: true });
if (!read.ok) throw new Error(read.problem.message);
const graph = read.graph;
const nodeAt = (id: string) => graph.nodes.find((n) => n.id === id)!;
const labels = (found: ReturnType<typeof fieldCompletion>) => found?.options.map((o) => o.label);

describe('expression completion in the side panel', () => {
  it('knows the steps written before the selected node, by their slugs', () => {
    expect(stepsBefore(graph, nodeAt('trigger'))).toEqual([]);
    expect(stepsBefore(graph, nodeAt('steps[0]'))).toEqual([]);
    expect(stepsBefore(graph, nodeAt('steps[3]'))).toEqual(['validate_order', 'check_inventory', 'process_payment', 'http_request']);
    expect(stepsBefore(graph, nodeAt('steps[2].condition.then[0]'))).toEqual(['validate_order', 'check_inventory', 'process_payment']);
  });

  it('offers what the YAML editor offers at the same place', () => {
    const context = { vars: ['payment_gateway_url'], secrets: ['stripe_key'], earlierSteps: stepsBefore(graph, nodeAt('steps[4]')) };
    expect(labels(fieldCompletion('{{ steps.', 9, context))).toEqual([
      'validate_order',
      'check_inventory',
      'process_payment',
      'http_request',
      'update_inventory',
    ]);
    expect(labels(fieldCompletion('Hi {{ steps.check', 17, context))).toEqual(['check_inventory']);
    expect(fieldCompletion('{{ steps.check', 14, context)?.from).toBe(9);
    expect(labels(fieldCompletion('{{ steps.check_inventory.', 25, context))).toEqual(['result']);
    expect(labels(fieldCompletion('{{trigger.', 10, context))).toEqual(['data', 'headers', 'query', 'parameters']);
    expect(labels(fieldCompletion('{{vars.', 7, context))).toEqual(['payment_gateway_url']);
    expect(labels(fieldCompletion('{{secrets.st', 12, context))).toEqual(['stripe_key']);
    expect(labels(fieldCompletion('{{ s', 4, context))).toEqual(['steps', 'secrets']);
    // Outside `{{ }}` there is nothing to complete.
    expect(fieldCompletion('steps.', 6, context)).toBeNull();
    expect(fieldCompletion('{{ trigger.data }} steps.', 25, context)).toBeNull();
  });
});
