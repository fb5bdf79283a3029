// Shared by the workflow tests: parse a document that must be valid (or must not be).
import { expect } from 'vitest';
import { parseWorkflow, type ParseOptions } from '../../server/workflow/parse-workflow.js';
import type { Problem, WorkflowDefinition } from '../../server/workflow/types.js';

/** Lines joined into a YAML document. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** The definition of a document that must be valid, failing the test with its problems otherwise. */
export function validWorkflow(source: string, options: ParseOptions = {}): { workflow: WorkflowDefinition; warnings: Problem[] } {
  const result = parseWorkflow(source, options);
  if (!result.ok) expect.fail(result.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`).join('\n'));
  return { workflow: result.workflow, warnings: result.warnings };
}

/** `line:col path: message` of each problem of a document that must be invalid. */
export function problemsOf(source: string): string[] {
  const result = parseWorkflow(source);
  if (result.ok) expect.fail('expected the document to be invalid');
  return result.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
}

/** `line:col path: message` of each warning of a valid document. */
export function warningsOf(source: string): string[] {
  return validWorkflow(source).warnings.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
}
