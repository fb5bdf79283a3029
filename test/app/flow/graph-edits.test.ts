// Graph edits on a real example (comments, blank lines, a condition): each changes the
// steps it is about, and the rest of the text stays as written.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentGraph } from '../../../app/flow/document-graph.js';
import { deleteStep, duplicateStep, freeStepName, insertStep, moveStep, setTrigger, setValue } from '../../../app/flow/yaml-edit.js';
import { parseWorkflow } from '../../../server/workflow/parse-workflow.js';

const text = readFileSync('examples/workflows/order-processing.yaml', 'utf8');
const comment = '        # Not in the spec, which leaves $1 without a value';

function stepNames(source: string): string[] {
  const parsed = parseWorkflow(source);
  if (!parsed.ok) expect.fail(parsed.problems.map((p) => `${p.line}:${p.col} ${p.message}`).join('\n'));
  const names: string[] = [];
  const walk = (steps: typeof parsed.workflow.steps) => {
    for (const step of steps) {
      names.push(step.name);
      if (step.kind === 'condition') {
        walk(step.then);
        walk(step.else);
      }
      if (step.kind === 'loop') walk(step.steps);
    }
  };
  walk(parsed.workflow.steps);
  return names;
}

describe('graph edits on the order processing example', () => {
  it('adds a step into the empty else branch of a condition, keeping the comment', () => {
    const edited = insertStep(
      text,
      { list: ['steps', 2, 'condition', 'else'], index: 0 },
      {
        name: 'Tell Customer',
        action: { type: 'log', message: 'out of stock' },
      },
    );
    expect(stepNames(edited)).toEqual([
      'Validate Order',
      'Check Inventory',
      'Process Payment',
      'http_request',
      'Tell Customer',
      'Update Inventory',
      'Send Confirmation',
    ]);
    expect(edited).toContain(comment);
    const graph = documentGraph(edited);
    expect(graph.ok && graph.graph.edges.find((e) => e.target === 'steps[2].condition.else[0]')?.label).toBe('else');
  });

  it('inserts after a step with a blank line like its neighbours', () => {
    const edited = insertStep(text, { list: ['steps'], index: 1 }, { name: 'Audit', action: { type: 'log', message: 'hi' } });
    expect(edited).toContain('\n\n    - name: Audit\n      action:\n        type: log\n        message: hi\n\n    - name: Check Inventory');
    expect(edited.replace(/\n {4}- name: Audit\n(.*\n){3}\n/, '\n')).toBe(text);
  });

  it('deletes, duplicates and moves steps', () => {
    expect(stepNames(deleteStep(text, ['steps', 0]))[0]).toBe('Check Inventory');
    const doubled = duplicateStep(text, ['steps', 1]);
    expect(stepNames(doubled).slice(0, 3)).toEqual(['Validate Order', 'Check Inventory', 'Check Inventory copy']);
    expect(freeStepName(doubled, 'Check Inventory copy')).toBe('Check Inventory copy 2');
    const moved = moveStep(text, ['steps', 4], { list: ['steps'], index: 0 });
    expect(stepNames(moved)[0]).toBe('Send Confirmation');
    const intoBranch = moveStep(text, ['steps', 0], { list: ['steps', 2, 'condition', 'then'], index: 1 });
    expect(stepNames(intoBranch)).toEqual([
      'Check Inventory',
      'Process Payment',
      'http_request',
      'Validate Order',
      'Update Inventory',
      'Send Confirmation',
    ]);
    expect(() => moveStep(text, ['steps', 2], { list: ['steps', 2, 'condition', 'else'], index: 0 })).toThrow(/its own branches/);
  });

  it('changes one param and leaves the other lines alone', () => {
    const edited = setValue(text, ['steps', 4, 'action'], {
      type: 'send_email',
      to: '{{trigger.data.customer_email}}',
      template: 'order_shipped',
    });
    const before = text.split('\n');
    const after = edited.split('\n');
    expect(after.length).toBe(before.length);
    expect(before.filter((line, i) => line !== after[i])).toEqual(['        template: order_confirmation']);
  });

  it('changes the trigger in place and adds one to a workflow without', () => {
    expect(setTrigger(text, { type: 'webhook', path: '/orders/placed' })).toBe(text.replace('/orders/new', '/orders/placed'));
    const empty = 'name: Empty\nsteps: []\n';
    expect(setTrigger(empty, { type: 'manual' })).toBe('name: Empty\ntrigger:\n  type: manual\nsteps: []\n');
    expect(insertStep(empty, { list: ['steps'], index: 0 }, { name: 'A', action: { type: 'log', message: 'x' } })).toBe(
      'name: Empty\nsteps:\n  - name: A\n    action:\n      type: log\n      message: x\n',
    );
  });

  it('adds steps to a one-action workflow and after a trigger written as the first step', () => {
    const single = readFileSync('examples/actions/send-email.yaml', 'utf8');
    const grown = insertStep(single, { list: ['steps'], index: 1 }, { name: 'After', action: { type: 'log', message: 'sent' } });
    expect(stepNames(grown)).toEqual(['send_email', 'After']);
    expect(grown.startsWith('# Send Email action, as in the spec.\n')).toBe(true);

    const firstStep =
      'workflow:\n  name: Hooked\n  steps:\n    - name: Receive\n      trigger: { type: webhook, path: /in }\n    - name: Log It\n      action: { type: log, message: hi }\n';
    const read = documentGraph(firstStep);
    if (!read.ok) expect.fail(read.problem.message);
    expect(read.graph.nodes.map((n) => [n.id, n.label])).toEqual([
      ['trigger', 'Receive'],
      ['steps[1]', 'Log It'],
    ]);
    const moved = setTrigger(firstStep, { type: 'webhook', path: '/inbox' });
    expect(moved).toBe(firstStep.replace('path: /in }', 'path: /inbox }'));
    expect(
      stepNames(insertStep(firstStep, read.graph.nodes[0]!.dropPlace!, { name: 'First', action: { type: 'log', message: 'x' } })),
    ).toEqual(['First', 'Log It']);
  });
});
