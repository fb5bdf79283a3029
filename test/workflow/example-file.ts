// Parses a file of examples/ the way `khaosflow validate` does, failing on any problem.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { parseWorkflow } from '../../server/workflow/parse-workflow.js';
import type { Problem, WorkflowDefinition } from '../../server/workflow/types.js';

/** `url` is resolved against the calling test, e.g. exampleFile(new URL('./webhook.yaml', import.meta.url)). */
export function exampleFile(url: URL): { workflow: WorkflowDefinition; warnings: string[] } {
  const file = relative(process.cwd(), fileURLToPath(url));
  const result = parseWorkflow(readFileSync(url, 'utf8'), { file });
  if (!result.ok) expect.fail(result.problems.map((p: Problem) => `${p.file}:${p.line}:${p.col}: ${p.message}`).join('\n'));
  return { workflow: result.workflow, warnings: result.warnings.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`) };
}
