// The spec's transformation snippets parse, and their expressions do what they say on
// data shaped like the spec's.
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../server/expression/template.js';
import { evaluateAggregate, evaluateFilter, evaluateMap } from '../../server/expression/transform.js';
import type { ActionStep } from '../../server/workflow/types.js';
import { exampleFile } from '../../test/workflow/example-file.js';

function action(name: string): Record<string, unknown> {
  const { workflow, warnings } = exampleFile(new URL(`./${name}`, import.meta.url));
  expect(warnings).toEqual([]);
  return (workflow.steps[0] as ActionStep).action;
}

describe('transform examples', () => {
  it('filter.yaml keeps the items priced over 100', async () => {
    const filter = action('filter.yaml');
    expect(filter).toEqual({ type: 'transform', operation: 'filter', input: '{{trigger.data.items}}', condition: 'price > 100' });
    const context = {
      trigger: {
        data: {
          items: [
            { name: 'desk', price: 240 },
            { name: 'lamp', price: 35 },
          ],
        },
      },
    };
    const input = await compileTemplate(filter.input).evaluate(context);
    expect(await evaluateFilter(input, filter.condition as string, context)).toEqual([{ name: 'desk', price: 240 }]);
  });

  it('map.yaml reshapes each order with its total', async () => {
    const map = action('map.yaml');
    expect(map).toMatchObject({ type: 'transform', operation: 'map', input: '{{trigger.data.orders}}' });
    const orders = [{ order_id: 1, customer_name: 'Ada', items: [{ price: 20 }, { price: 22.5 }] }];
    expect(await evaluateMap(orders, map.transform as string)).toEqual([{ id: 1, customer: 'Ada', total: 42.5 }]);
  });

  it('aggregate.yaml sums, averages and counts sales per region', async () => {
    const aggregate = action('aggregate.yaml');
    expect(aggregate).toEqual({
      type: 'transform',
      operation: 'aggregate',
      input: '{{trigger.data.sales}}',
      group_by: 'region',
      aggregations: { total_revenue: 'sum(amount)', avg_order: 'avg(amount)', order_count: 'count()' },
    });
    const sales = [
      { region: 'north', amount: 10 },
      { region: 'south', amount: 4 },
      { region: 'north', amount: 30 },
    ];
    expect(
      await evaluateAggregate(sales, {
        group_by: aggregate.group_by as string,
        aggregations: aggregate.aggregations as Record<string, string>,
      }),
    ).toEqual([
      { region: 'north', total_revenue: 40, avg_order: 20, order_count: 2 },
      { region: 'south', total_revenue: 4, avg_order: 4, order_count: 1 },
    ]);
  });
});
