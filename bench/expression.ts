// Evaluations per second of compiled (cached) templates on one core - the per-step cost
// of filling an action's params. Run alone with `npx tsx bench/expression.ts`.
import { pathToFileURL } from 'node:url';
import { compileTemplate, type ExpressionContext } from '../server/expression/index.js';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

const context: ExpressionContext = {
  trigger: {
    data: {
      id: 42,
      customer_name: 'Ada',
      email: 'ada@example.com',
      items: [
        { product_id: 'p1', price: 120 },
        { product_id: 'p2', price: 80 },
      ],
    },
  },
  steps: {
    check_inventory: {
      result: [
        { id: 'p1', stock: 5 },
        { id: 'p2', stock: 2 },
      ],
    },
  },
  vars: { khaosbase_url: 'https://khaosbase.local' },
  secrets: { api_token: 'token' },
  now: '2026-01-01T09:00:00.000Z',
};

const cases: { name: string; template: unknown }[] = [
  { name: 'template: one path ({{trigger.data.id}})', template: '{{trigger.data.id}}' },
  { name: 'template: interpolated text', template: 'Order Confirmation #{{trigger.data.id}} for {{trigger.data.customer_name}}' },
  { name: 'template: all(rows[].stock > 0)', template: '{{all(steps.check_inventory.result[].stock > 0)}}' },
  {
    name: 'template: http_request params (headers + body)',
    template: {
      url: '{{khaosbase_url}}/api/orders',
      headers: { Authorization: 'Bearer {{secrets.api_token}}', 'Content-Type': 'application/json' },
      body: { order_id: '{{trigger.data.id}}', customer: '{{trigger.data.customer_name}}' },
    },
  },
];

async function evaluationsPerSecond(template: unknown, durationMs: number): Promise<number> {
  const compiled = compileTemplate(template);
  for (let i = 0; i < 2000; i++) await compiled.evaluate(context); // warm up the JIT
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (let i = 0; i < 1000; i++) await compiled.evaluate(context);
    count += 1000;
    elapsed = performance.now() - start;
  }
  return Math.round(count / (elapsed / 1000));
}

export async function benchExpression(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const { name, template } of cases) {
    results.push({ name, value: await evaluationsPerSecond(template, 1000), unit: 'evaluations/s' });
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await benchExpression()) {
    console.log(`${result.name}: ${result.value.toLocaleString('en-US')} ${result.unit}`);
  }
}
