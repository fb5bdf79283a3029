// Shared by the Zapier importer tests: the real exports (copied from the shared folder
// into fixtures/ so the tests need nothing outside the repository), imports that must
// validate, steps found by name, and conditions evaluated with the real expression engine.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { compileTemplate, type ExpressionContext } from '../../server/expression/index.js';
import { importZapierExport, type ZapierImport } from '../../server/importers/zapier/index.js';
import { parseWorkflow } from '../../server/workflow/index.js';
import type { StepDefinition, WorkflowDefinition } from '../../server/workflow/types.js';

export const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export const realExports = fs
  .readdirSync(fixturesDir)
  .filter((file) => file.endsWith('.json'))
  .sort();

export function readFixture(file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(fixturesDir, file), 'utf8')) as unknown;
}

export interface Imported extends ZapierImport {
  /** The parsed definitions, by workflow slug. */
  definitions: Map<string, WorkflowDefinition>;
}

/** Imports and asserts that every produced workflow validates without problems or warnings. */
export function importValid(json: unknown, fileName = 'export.json', timezone?: string): Imported {
  const result = importZapierExport(json, { fileName, timezone });
  const definitions = new Map<string, WorkflowDefinition>();
  for (const workflow of result.workflows) {
    const parsed = parseWorkflow(workflow.yaml, { file: workflow.file });
    expect(parsed.ok ? [] : parsed.problems, `${workflow.file}:\n${workflow.yaml}`).toEqual([]);
    expect(parsed.warnings, workflow.file).toEqual([]);
    if (parsed.ok) definitions.set(workflow.slug, parsed.workflow);
  }
  for (const zap of result.report.zaps) expect(zap.problems).toEqual([]);
  return { ...result, definitions };
}

/** The only workflow of an import. */
export function only(imported: Imported): WorkflowDefinition {
  expect(imported.definitions.size).toBe(1);
  return [...imported.definitions.values()][0]!;
}

/** Every step of a workflow, depth first, in the order written. */
export function allSteps(steps: StepDefinition[]): StepDefinition[] {
  return steps.flatMap((step) => [
    step,
    ...(step.kind === 'condition' ? allSteps([...step.then, ...step.else]) : step.kind === 'loop' ? allSteps(step.steps) : []),
  ]);
}

export function stepNamed(workflow: WorkflowDefinition, name: string): StepDefinition {
  const found = allSteps(workflow.steps).find((step) => step.name === name);
  if (!found)
    throw new Error(
      `no step "${name}" in ${allSteps(workflow.steps)
        .map((s) => s.name)
        .join(', ')}`,
    );
  return found;
}

/** The params of the action step named `name`, typed as the test expects them. */
export function actionNamed<T = Record<string, unknown>>(workflow: WorkflowDefinition, name: string): T {
  const step = stepNamed(workflow, name);
  if (step.kind !== 'action') throw new Error(`step "${name}" is a ${step.kind}, not an action`);
  return step.action as unknown as T;
}

/** Evaluates a condition's `if` (or any template) against a run context. */
export async function evaluate(template: unknown, context: Partial<ExpressionContext>): Promise<unknown> {
  return compileTemplate(template).evaluate({ steps: {}, ...context } as ExpressionContext);
}

/** A one-zap list-form export: trigger plus actions. */
export function listExport(
  trigger: Record<string, unknown>,
  actions: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
): unknown {
  return { zaps: [{ title: 'Test Zap', trigger, actions, ...extra }] };
}
