// The flow canvas: a workflow with a condition, a loop and on_failure actions drawn as
// React Flow nodes (trigger and every step), branches labelled then/else, the loop as a
// group holding its steps; after a run each node shows its status, and clicking a node
// opens that step's input, output and logs.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getRun } from '../../../db/queries/runs.js';
import { createUser } from '../../../server/console-auth/users.js';
import { triggerRun } from '../../../server/queue/enqueue-run.js';
import { browserSkipReason, launchBrowser, logIn, screenshotPath, waitForHydration } from '../../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { applyYaml } from '../../triggers/helpers.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);

let tdb: TestDatabase;
let node: TestNode;

const ORDER_FLOW = `
name: Order Flow
trigger: { type: manual }
steps:
  - name: Check Total
    condition:
      if: "{{ trigger.data.total > 100 }}"
      then:
        - name: Flag Big Order
          action: { type: log, message: "big order {{trigger.data.total}}" }
      else:
        - name: Note Small Order
          action: { type: log, message: "small order" }
  - name: Each Line
    loop:
      over: "{{ trigger.data.lines }}"
      steps:
        - name: Log Line
          action: { type: log, message: "line {{item}}" }
  - name: Done
    action: { type: log, message: "done" }
error_handling:
  strategy: fail_fast
  on_failure:
    - type: log
      message: "failed: {{error.message}}"
`;

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({ databaseUrl: tdb.url, singletons: false });
  await createUser(tdb.db, { email: 'vi@example.com', name: 'Vi', password: 'viewer-password', role: 'viewer' });
  await applyYaml(tdb.db, ORDER_FLOW);
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

describe.skipIf(skip !== null)('flow canvas in Chromium', () => {
  it('draws every step of a workflow and, after a run, each step status', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      await logIn(page, node.baseUrl, 'vi@example.com', 'viewer-password');

      await page.goto(`${node.baseUrl}/workflows/order-flow`);

      await waitForHydration(page);
      const canvas = page.getByRole('region', { name: 'Workflow flow' });
      // Trigger, condition, two branch steps, loop, its step, Done, one on_failure action.
      await vi.waitFor(async () => expect(await canvas.locator('.react-flow__node').count()).toBe(8), { timeout: 10_000, interval: 50 });
      for (const name of ['Manual trigger', 'Check Total', 'Flag Big Order', 'Note Small Order', 'Each Line', 'Log Line', 'Done']) {
        expect(await canvas.locator('.react-flow__node', { hasText: name }).count(), name).toBe(1);
      }
      expect(await canvas.locator('.react-flow__edge-text').allTextContents()).toEqual(expect.arrayContaining(['then', 'else']));
      // The loop is a group: its step's node is drawn inside the loop's box.
      const loop = await canvas.locator('.react-flow__node', { hasText: 'Each Line' }).first().boundingBox();
      const inner = await canvas.locator('.react-flow__node', { hasText: 'Log Line' }).boundingBox();
      expect(inner!.x).toBeGreaterThan(loop!.x);
      expect(inner!.y + inner!.height).toBeLessThanOrEqual(loop!.y + loop!.height + 1);
      expect(await canvas.locator('[data-step-type="log"]').count()).toBe(5);
      await page.screenshot({ path: screenshotPath('flow-canvas-workflow'), fullPage: true });

      const id = await triggerRun(tdb.pool, 'order-flow', 'manual', { data: { total: 250, lines: ['a', 'b', 'c'] } });
      await vi.waitFor(
        async () => {
          const run = await getRun(tdb.db, id);
          if (run?.status !== 'succeeded') throw new Error(`run is ${run?.status}`);
        },
        { timeout: 20_000, interval: 50 },
      );
      await page.goto(`${node.baseUrl}/runs/${id}`);
      await waitForHydration(page);
      const runCanvas = page.getByRole('region', { name: 'Flow of this run' });
      await runCanvas.locator('.react-flow__node').first().waitFor();
      const status = (name: string) =>
        runCanvas.locator('.react-flow__node', { hasText: name }).locator('[data-status]').first().getAttribute('data-status');
      expect(await status('Flag Big Order')).toBe('succeeded');
      expect(await status('Note Small Order')).toBe('');
      expect(await status('Done')).toBe('succeeded');
      // Three iterations of the loop's step, shown as one node.
      expect(await runCanvas.locator('.react-flow__node', { hasText: 'Log Line' }).innerText()).toContain('×3');
      await page.screenshot({ path: screenshotPath('flow-canvas-run'), fullPage: true });

      // A node clicked on the canvas opens that step's recorded details: input, output, logs.
      const steps = page.getByRole('list', { name: 'Steps of this run' });
      const flagged = steps.locator('details[data-node="steps[0].condition.then[0]"]');
      expect(await flagged.getAttribute('open')).toBeNull();
      await runCanvas.locator('.react-flow__node', { hasText: 'Flag Big Order' }).click();
      await vi.waitFor(async () => expect(await flagged.getAttribute('open')).not.toBeNull(), {
        timeout: 10_000,
        interval: 50,
      });
      const shown = await flagged.innerText();
      for (const part of ['INPUT', 'OUTPUT', 'LOGS', 'big order 250']) expect(shown.toUpperCase()).toContain(part.toUpperCase());
      expect(await steps.locator('li[data-chosen="true"]').count()).toBe(1);
      await runCanvas.locator('.react-flow__node.selected', { hasText: 'Flag Big Order' }).waitFor();
      // A loop's step: every iteration's row opens.
      await runCanvas.locator('.react-flow__node', { hasText: 'Log Line' }).click();
      await vi.waitFor(async () => expect(await steps.locator('li[data-chosen="true"] details[open]').count()).toBe(3), {
        timeout: 10_000,
        interval: 50,
      });
      // A branch not taken has nothing recorded, and says so.
      await runCanvas.locator('.react-flow__node', { hasText: 'Note Small Order' }).click();
      await page.getByRole('status', { name: 'Chosen step' }).waitFor();
      expect(await steps.locator('li[data-chosen="true"]').count()).toBe(0);
      await page.screenshot({ path: screenshotPath('flow-canvas-run-step-chosen'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
