import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBench, stepsByName, type Bench } from '../helpers/engine.js';

let bench: Bench;
beforeAll(async () => {
  bench = await startBench();
});
afterAll(() => bench?.stop());

describe('sequential data passing', () => {
  it('feeds each step the results of the steps before it', async () => {
    const { slug } = await bench.apply(`
name: Order Totals
trigger: { type: manual }
steps:
  - name: Expensive Items
    action:
      type: transform
      operation: filter
      input: "{{trigger.data.items}}"
      condition: "price > 100"
  - name: Names
    action:
      type: transform
      operation: map
      input: "{{steps.expensive_items.result}}"
      transform: "$.name"
  - name: Announce
    action:
      type: log
      message: "{{count(steps.names.result)}} expensive: {{steps.names.result}}"
`);
    const runId = await bench.start(slug, {
      items: [
        { name: 'tv', price: 500 },
        { name: 'cable', price: 5 },
        { name: 'sofa', price: 900 },
      ],
    });
    const run = await bench.waitFor(runId);
    expect(run.status).toBe('succeeded');
    const steps = stepsByName(run);
    expect(steps['Expensive Items']!.output).toEqual([
      { name: 'tv', price: 500 },
      { name: 'sofa', price: 900 },
    ]);
    expect(steps.Names!.output).toEqual(['tv', 'sofa']);
    expect(steps.Announce!.output).toEqual({ level: 'info', message: '2 expensive: ["tv","sofa"]' });
    expect(run.output).toEqual({ level: 'info', message: '2 expensive: ["tv","sofa"]' });
    expect(run.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });
});
