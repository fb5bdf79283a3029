// parseWorkflow: YAML text in, a normalized WorkflowDefinition (or every problem found,
// each at file:line:col) out. The stages, each stopping the pipeline when it finds
// problems because later stages rely on what earlier ones established:
//   1. YAML: size, syntax, aliases              (yaml-source.ts)
//   2. shape: the zod schema of the language    (schema/, issue-problems.ts)
//   3. meaning: names, slugs, trigger placement, schedules  (normalize*.ts)
//   4. expressions: syntax and step references  (check-expressions.ts)
import { checkExpressions } from './check-expressions.js';
import { issueProblems } from './issue-problems.js';
import { normalizeWorkflow } from './normalize.js';
import type { RawWorkflow } from './raw-workflow.js';
import { Reporter } from './reporter.js';
import { recordAllowedKeys } from './schema/allowed-keys.js';
import { workflowSchemas } from './schema/workflow.js';
import type { ParseResult, Problem } from './types.js';
import { defaultYamlLimits, loadYaml, type YamlLimits } from './yaml-source.js';

export interface ParseOptions {
  /** Shown in problems and used for the default name (`http-request.yaml` -> `http-request`). */
  file?: string;
  limits?: Partial<YamlLimits>;
}

/**
 * Parses and validates a workflow file.
 *
 * @example
 *   const result = parseWorkflow(readFileSync('onboarding.yaml', 'utf8'), { file: 'onboarding.yaml' });
 *   if (!result.ok) for (const p of result.problems) console.log(`${p.file}:${p.line}:${p.col}: ${p.message}`);
 */
export function parseWorkflow(source: string, options: ParseOptions = {}): ParseResult {
  const file = options.file ?? '<input>';
  const loaded = loadYaml(source, file, { ...defaultYamlLimits, ...options.limits });
  if (!loaded.ok) return { ok: false, problems: loaded.problems, warnings: [] };
  const yaml = loaded.source;

  const data = yaml.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    const message =
      data === null || data === undefined
        ? 'the file is empty; a workflow has at least a trigger:, steps: or an action:'
        : 'a workflow file is a mapping of keys (name:, trigger:, steps:, ...), not a list or a single value';
    return { ok: false, problems: [{ file, line: 1, col: 1, path: '', message }], warnings: loaded.warnings };
  }

  const wrapped = 'workflow' in data;
  const schemas = workflowSchemas();
  const checked = (wrapped ? schemas.wrapped : schemas.bare).safeParse(data, { error: recordAllowedKeys });
  if (!checked.success) {
    return { ok: false, problems: sortProblems(issueProblems(checked.error.issues, yaml, [])), warnings: loaded.warnings };
  }
  const raw = (wrapped ? (checked.data as { workflow: RawWorkflow }).workflow : checked.data) as RawWorkflow;

  const report = new Reporter(yaml, wrapped ? ['workflow'] : []);
  const { workflow, index } = normalizeWorkflow(raw, report, options.file);
  if (report.problems.length === 0) checkExpressions(workflow, index, report);
  const warnings = sortProblems([...loaded.warnings, ...report.warnings]);
  if (report.problems.length > 0) return { ok: false, problems: sortProblems(report.problems), warnings };
  return { ok: true, workflow, warnings };
}

function sortProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems
    .sort((a, b) => a.line - b.line || a.col - b.col)
    .filter((problem) => {
      const key = `${problem.line}:${problem.col}:${problem.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
