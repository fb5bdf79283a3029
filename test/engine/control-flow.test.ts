// Conditions and loops, with the spec's expression shapes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBench, stepsByName, type Bench } from '../helpers/engine.js';
import { registerTestActions } from '../helpers/test-actions.js';

let bench: Bench;
beforeAll(async () => {
  registerTestActions();
  bench = await startBench();
});
afterAll(() => bench?.stop());

describe('conditions', () => {
  const yaml = `
workflow:
  name: Branch on Stock
  steps:
    - name: Receive Order
      trigger:
        type: webhook
    - name: Check Inventory
      action:
        type: transform
        operation: map
        input: "{{trigger.data.stock}}"
        transform: "{ 'stock': $ }"
    - name: Branch on Stock
      condition:
        if: "{{all(steps.check_inventory.result[].stock > 0)}}"
        then:
          - name: Process Order
            action: { type: log, message: "processing {{count(steps.check_inventory.result)}} items" }
          - name: Big Order
            condition:
              if: "{{count(steps.check_inventory.result) > 2}}"
              then:
                - name: Flag Big
                  action: { type: log, message: big }
        else:
          - name: Notify Out of Stock
            action: { type: log, level: warn, message: out of stock }
`;
  it('takes then when every row has stock, including a nested condition', async () => {
    const { slug } = await bench.apply(yaml);
    const run = await bench.waitFor(await bench.start(slug, { stock: [3, 1, 9] }));
    expect(run.status).toBe('succeeded');
    const steps = stepsByName(run);
    expect(steps['Branch on Stock']!.output).toEqual({ branch: 'then', value: true });
    expect(steps['Process Order']!.output).toMatchObject({ message: 'processing 3 items' });
    expect(steps['Big Order']!.output).toEqual({ branch: 'then', value: true });
    expect(steps['Flag Big']).toBeDefined();
    expect(steps['Notify Out of Stock']).toBeUndefined();
  });

  it('takes else when one row has no stock', async () => {
    const run = await bench.waitFor(await bench.start('branch-on-stock', { stock: [3, 0] }));
    const steps = stepsByName(run);
    expect(steps['Branch on Stock']!.output).toEqual({ branch: 'else', value: false });
    expect(steps['Notify Out of Stock']!.output).toMatchObject({ level: 'warn', message: 'out of stock' });
    expect(steps['Process Order']).toBeUndefined();
    expect(run.output).toMatchObject({ message: 'out of stock' });
  });
});

describe('loops', () => {
  it('runs nested steps once per item with item and index, collecting per-item results', async () => {
    const { slug } = await bench.apply(`
name: Loop Orders
steps:
  - name: Each Order
    loop:
      over: "{{trigger.data.orders}}"
      steps:
        - name: Price
          action: { type: transform, operation: aggregate, input: "{{item.lines}}", aggregations: { total: "sum(price)" } }
        - name: Label
          action: { type: log, message: "#{{index}} {{item.id}} = {{steps.price.result[0].total}}" }
  - name: Summary
    action: { type: log, message: "{{count(steps.each_order.result)}} orders" }
`);
    const run = await bench.waitFor(
      await bench.start(slug, {
        orders: [
          { id: 'a', lines: [{ price: 2 }, { price: 3 }] },
          { id: 'b', lines: [{ price: 10 }] },
        ],
      }),
    );
    expect(run.status).toBe('succeeded');
    const labels = run.steps.filter((s) => s.name === 'Label');
    expect(labels.map((s) => s.path)).toEqual(['steps[0].loop.steps[1]@0', 'steps[0].loop.steps[1]@1']);
    expect(labels.map((s) => (s.output as { message: string }).message)).toEqual(['#0 a = 5', '#1 b = 10']);
    expect(stepsByName(run)['Each Order']!.output).toEqual([
      { level: 'info', message: '#0 a = 5' },
      { level: 'info', message: '#1 b = 10' },
    ]);
    expect(stepsByName(run).Summary!.output).toMatchObject({ message: '2 orders' });
  });

  it('runs iterations concurrently up to the limit and keeps results in item order', async () => {
    const { slug } = await bench.apply(`
name: Parallel Loop
steps:
  - name: Fan Out
    loop:
      over: "{{trigger.data.n}}"
      concurrency: 3
      steps:
        - name: Work
          action: { type: transform, operation: map, input: "{{[item]}}", transform: "$ * 10" }
`);
    const run = await bench.waitFor(await bench.start(slug, { n: [1, 2, 3, 4, 5, 6, 7] }));
    expect(run.status).toBe('succeeded');
    expect(stepsByName(run)['Fan Out']!.output).toEqual([[10], [20], [30], [40], [50], [60], [70]]);
  });

  it('treats an empty list as zero iterations', async () => {
    const run = await bench.waitFor(await bench.start('parallel-loop', { n: [] }));
    expect(run.status).toBe('succeeded');
    expect(stepsByName(run)['Fan Out']!.output).toEqual([]);
  });
});
