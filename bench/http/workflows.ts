// The workflows the HTTP scenarios drive. S1/S4: the issue's "webhook -> map ->
// condition -> log" shape, async. S2: the same answered synchronously. S3: long
// chains of cheap steps, to measure the engine's per-step and per-item overhead.

/** The three steps as YAML (the fault tests in test/reliability drive the same shape). */
export const threeSteps = `
steps:
  - name: Shape
    action: { type: transform, operation: map, input: "{{trigger.data.items}}", transform: "{ 'sku': sku, 'total': price * qty }" }
  - name: Big Order
    condition:
      if: "{{sum(steps.shape.result[].total) > 100}}"
      then:
        - name: Note Big
          action: { type: log, message: "big order {{trigger.data.id}}" }
      else:
        - name: Note Small
          action: { type: log, message: "small order {{trigger.data.id}}" }
`;

export const asyncWorkflow = `
name: Bench Async
trigger: { type: webhook, path: /bench/async }
${threeSteps}`;

export const syncWorkflow = `
name: Bench Sync
trigger: { type: webhook, path: /bench/sync, respond: sync }
${threeSteps}`;

const hundredSteps = Array.from(
  { length: 100 },
  (_, i) =>
    `  - name: Step ${i}\n    action: { type: transform, operation: map, input: "{{trigger.data.items}}", transform: "{ 'n': n + ${i} }" }`,
).join('\n');

export const chainWorkflow = `
name: Bench Chain
trigger: { type: webhook, path: /bench/chain }
steps:
${hundredSteps}
`;

export const loopWorkflow = `
name: Bench Loop
trigger: { type: webhook, path: /bench/loop }
steps:
  - name: Each Item
    loop:
      over: "{{trigger.data.items}}"
      steps:
        - name: Double
          action: { type: transform, operation: map, input: "{{[item]}}", transform: "{ 'n': n * 2 }" }
`;

export const benchWorkflows: Record<string, string> = {
  'bench-async.yaml': asyncWorkflow,
  'bench-sync.yaml': syncWorkflow,
  'bench-chain.yaml': chainWorkflow,
  'bench-loop.yaml': loopWorkflow,
};

/** A small order: two items, total 7 (the "small" branch). */
export function orderBody(id: number): string {
  return JSON.stringify({
    id,
    items: [
      { sku: 'a', price: 3, qty: 2 },
      { sku: 'b', price: 1, qty: 1 },
    ],
  });
}
