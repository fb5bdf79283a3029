// The expression side of the transform action, per element and per group.
import { describe, expect, it } from 'vitest';
import { evaluateAggregate, evaluateFilter, evaluateMap, evaluateSort } from '../../server/expression/transform.js';

const products = [
  { sku: 'a', price: 30, category: 'tools', stock: 0 },
  { sku: 'b', price: 120, category: 'garden', stock: 4 },
  { sku: 'c', price: 75, category: 'tools', stock: 9 },
  { sku: 'd', price: null, category: 'garden', stock: 1 },
];

describe('transform expressions', () => {
  it('filters with the run context available as $vars, $trigger, ...', async () => {
    const kept = await evaluateFilter(products, 'price != null and price >= $vars.min_price and stock > 0', { vars: { min_price: 70 } });
    expect(kept.map((p) => (p as { sku: string }).sku)).toEqual(['b', 'c']);
  });

  it('fails, as jsonata does, when a comparison meets null instead of skipping the element silently', async () => {
    await expect(evaluateFilter(products, 'price >= 70')).rejects.toMatchObject({ code: 'T2010' });
  });

  it('accepts a condition wrapped in {{ }} as the same condition', async () => {
    expect(await evaluateFilter(products, '{{ stock > 5 }}')).toEqual([products[2]]);
  });

  it('treats a single object as a list of one and nothing as an empty list', async () => {
    expect(await evaluateFilter({ price: 200 }, 'price > 100')).toEqual([{ price: 200 }]);
    expect(await evaluateFilter(undefined, 'price > 100')).toEqual([]);
  });

  it('maps with the position as $index and turns undefined into null', async () => {
    expect(await evaluateMap(products.slice(0, 2), '{"n": $index + 1, "sku": sku}')).toEqual([
      { n: 1, sku: 'a' },
      { n: 2, sku: 'b' },
    ]);
    expect(await evaluateMap([{ a: 1 }], 'missing')).toEqual([null]);
  });

  it('sorts by a key, nulls last, stable for equal keys', async () => {
    const sorted = await evaluateSort(products, { by: 'price', order: 'desc' });
    expect(sorted.map((p) => (p as { sku: string }).sku)).toEqual(['b', 'c', 'a', 'd']);
    const byCategory = await evaluateSort(products, { by: ['category'] });
    expect(byCategory.map((p) => (p as { sku: string }).sku)).toEqual(['b', 'd', 'a', 'c']);
  });

  it('aggregates everything into one row without group_by', async () => {
    expect(await evaluateAggregate(products, { aggregations: { total: 'sum(price)', items: 'count()', most: 'max(stock)' } })).toEqual([
      { total: 225, items: 4, most: 9 },
    ]);
  });

  it('groups by expressions, naming a computed key "group"', async () => {
    const result = await evaluateAggregate(products, { group_by: 'stock > 0', aggregations: { skus: 'item.sku' } });
    expect(result).toEqual([
      { group: false, skus: 'a' },
      { group: true, skus: ['b', 'c', 'd'] },
    ]);
  });

  it('gives an empty result when grouping nothing', async () => {
    expect(await evaluateAggregate([], { group_by: 'region', aggregations: { n: 'count()' } })).toEqual([]);
  });

  it('names the step in errors', async () => {
    await expect(evaluateMap([{ a: 'x' }], 'a + 1', {}, 'Compute')).rejects.toMatchObject({ step: 'Compute', code: 'T2001' });
  });
});
