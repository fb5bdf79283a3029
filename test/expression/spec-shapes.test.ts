// The seed writes expressions in a few shapes; each must mean what it plainly says, on
// real run data.
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../server/expression/template.js';
import { evaluateAggregate, evaluateFilter, evaluateMap } from '../../server/expression/transform.js';

const evaluate = (template: unknown, context: object) => compileTemplate(template).evaluate(context);
const rows = (...stocks: number[]) => ({ steps: { check_inventory: { result: stocks.map((stock, i) => ({ id: i + 1, stock })) } } });

describe('{{trigger.data.items[].product_id}}', () => {
  it('gives the list of product ids', async () => {
    const context = {
      trigger: {
        data: {
          items: [
            { product_id: 'p1', qty: 1 },
            { product_id: 'p2', qty: 3 },
          ],
        },
      },
    };
    expect(await evaluate('{{trigger.data.items[].product_id}}', context)).toEqual(['p1', 'p2']);
  });

  it('is still a list when the order has one item', async () => {
    const context = { trigger: { data: { items: [{ product_id: 'p1' }] } } };
    expect(await evaluate('{{trigger.data.items[].product_id}}', context)).toEqual(['p1']);
  });

  it('keeps its type as a SQL parameter inside a list', async () => {
    const context = { trigger: { data: { items: [{ product_id: 7 }] } } };
    expect(await evaluate(['{{trigger.data.items[].product_id}}'], context)).toEqual([[7]]);
  });
});

describe('{{json(trigger.data)}}', () => {
  it('is the trigger data as JSON text', async () => {
    const data = { id: 42, customer: { name: 'Ada' }, tags: ['vip'] };
    const text = await evaluate('{{json(trigger.data)}}', { trigger: { data } });
    expect(typeof text).toBe('string');
    expect(JSON.parse(text as string)).toEqual(data);
  });
});

describe('{{date}}', () => {
  it('is the run date as YYYY-MM-DD inside a path', async () => {
    const context = { now: '2026-03-07T23:30:00.000Z' };
    expect(await evaluate('/data/reports/daily-{{date}}.json', context)).toBe('/data/reports/daily-2026-03-07.json');
  });

  it('is the date the executor fixed for the run, so retries write the same file', async () => {
    expect(await evaluate('daily-{{date}}.sql.gz', { date: '2026-01-02', now: '2026-01-03T01:00:00Z' })).toBe('daily-2026-01-02.sql.gz');
  });

  it('is today (UTC) when the context does not fix it', async () => {
    const before = new Date().toISOString().slice(0, 10);
    const date = await evaluate('{{date}}', {});
    const after = new Date().toISOString().slice(0, 10);
    expect([before, after]).toContain(date);
  });
});

describe('{{steps.check_inventory.result.stock > 0}}', () => {
  const condition = '{{steps.check_inventory.result.stock > 0}}';

  it('is true for a product in stock', async () => {
    expect(await evaluate(condition, rows(5))).toBe(true);
  });

  it('is false for a product out of stock', async () => {
    expect(await evaluate(condition, rows(0))).toBe(false);
  });

  it('asks for all()/any() when the query returned several rows', async () => {
    await expect(evaluate(condition, rows(5, 2))).rejects.toThrow(/compare each element with all\(\.\.\.\) or any\(\.\.\.\)/);
  });
});

describe('{{all(steps.check_inventory.result[].stock > 0)}}', () => {
  const condition = '{{all(steps.check_inventory.result[].stock > 0)}}';

  it.each([
    ['one row in stock', [5], true],
    ['one row out of stock', [0], false],
    ['two rows in stock', [5, 2], true],
    ['two rows, one out of stock', [5, 0], false],
    ['no rows (vacuously true, as in every language)', [], true],
  ])('%s', async (_, stocks, expected) => {
    expect(await evaluate(condition, rows(...stocks))).toBe(expected);
  });

  it('any() is true when one row is in stock and false for no rows', async () => {
    expect(await evaluate('{{any(steps.check_inventory.result[].stock > 0)}}', rows(0, 3))).toBe(true);
    expect(await evaluate('{{any(steps.check_inventory.result[].stock > 0)}}', rows())).toBe(false);
  });

  it('compares each row with a value from the run context', async () => {
    const context = { ...rows(5, 3), vars: { minimum_stock: 4 } };
    expect(await evaluate('{{all(steps.check_inventory.result[].stock >= minimum_stock)}}', context)).toBe(false);
    expect(await evaluate('{{any(steps.check_inventory.result[].stock >= minimum_stock)}}', context)).toBe(true);
  });
});

describe('transform: filter with condition "price > 100"', () => {
  it('keeps the items whose price is over 100', async () => {
    const items = [
      { sku: 'a', price: 150 },
      { sku: 'b', price: 100 },
      { sku: 'c', price: 101 },
    ];
    expect(await evaluateFilter(items, 'price > 100')).toEqual([
      { sku: 'a', price: 150 },
      { sku: 'c', price: 101 },
    ]);
  });

  it('reaches the element as item too', async () => {
    const items = [{ price: 150 }, { price: 50 }];
    expect(await evaluateFilter(items, 'item.price > 100')).toEqual([{ price: 150 }]);
  });
});

describe('transform: map with $.field and $.items[].price | sum', () => {
  it('builds one object per order', async () => {
    const orders = [
      { order_id: 'o1', customer_name: 'Ada', items: [{ price: 10 }, { price: 5.5 }] },
      { order_id: 'o2', customer_name: 'Bob', items: [{ price: 7 }] },
    ];
    const transform = '{\n  "id": $.order_id,\n  "customer": $.customer_name,\n  "total": $.items[].price | sum\n}\n';
    expect(await evaluateMap(orders, transform)).toEqual([
      { id: 'o1', customer: 'Ada', total: 15.5 },
      { id: 'o2', customer: 'Bob', total: 7 },
    ]);
  });
});

describe('transform: aggregate sum(amount), avg(amount), count() by region', () => {
  it('computes each aggregation per group', async () => {
    const sales = [
      { region: 'EU', amount: 100 },
      { region: 'US', amount: 40 },
      { region: 'EU', amount: 50 },
    ];
    const result = await evaluateAggregate(sales, {
      group_by: 'region',
      aggregations: { total_revenue: 'sum(amount)', avg_order: 'avg(amount)', order_count: 'count()' },
    });
    expect(result).toEqual([
      { region: 'EU', total_revenue: 150, avg_order: 75, order_count: 2 },
      { region: 'US', total_revenue: 40, avg_order: 40, order_count: 1 },
    ]);
  });
});

describe('{{khaosbase_url}}', () => {
  it('reads the variable of that name', async () => {
    expect(await evaluate('{{khaosbase_url}}/api/tasks', { vars: { khaosbase_url: 'https://kb.local' } })).toBe(
      'https://kb.local/api/tasks',
    );
  });
});
