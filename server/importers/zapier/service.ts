// What the API and the console do with a Zapier export: convert it, and with `apply`
// store every workflow disabled until someone has reviewed it (the CLI's --apply keeps
// running zaps enabled; an upload from a browser is reviewed in the console first).
import { applyWorkflow } from '../../../db/queries/workflow-store.js';
import type { Services } from '../../services.js';
import { parseWorkflow } from '../../workflow/index.js';
import { ZapierImportError } from './errors.js';
import { importZapierExport } from './index.js';
import type { MigrationReport } from './report.js';

export interface ImportedForReview {
  workflows: { slug: string; name: string; yaml: string; problems: string[]; stored?: { version: number; outcome: string } }[];
  report: MigrationReport;
}

export { ZapierImportError };

export async function importZapierForReview(
  services: Pick<Services, 'db'>,
  json: unknown,
  opts: { apply: boolean; fileName?: string; createdBy: string },
): Promise<ImportedForReview> {
  const result = importZapierExport(json, { fileName: opts.fileName ?? 'upload.json' });
  const problemsOf = (slug: string) => result.report.zaps.find((zap) => zap.slug === slug)?.problems ?? [];
  const workflows: ImportedForReview['workflows'] = result.workflows.map((w) => ({
    slug: w.slug,
    name: w.name,
    yaml: w.yaml,
    problems: problemsOf(w.slug),
  }));
  if (opts.apply) {
    const invalid = workflows.filter((w) => w.problems.length > 0);
    if (invalid.length > 0)
      throw new ZapierImportError(
        `Nothing was stored: ${invalid.map((w) => `${w.slug} does not validate (${w.problems.join('; ')})`).join('; ')}.`,
      );
    for (const workflow of workflows) {
      const parsed = parseWorkflow(workflow.yaml, { file: `${workflow.slug}.yaml` });
      if (!parsed.ok) throw new ZapierImportError(`Nothing more was stored: ${workflow.slug} does not validate.`);
      const saved = await applyWorkflow(services.db, {
        definition: parsed.workflow,
        source: workflow.yaml,
        createdBy: opts.createdBy,
        enabled: false,
      });
      workflow.stored = { version: saved.version, outcome: saved.outcome };
    }
  }
  return { workflows, report: result.report };
}
