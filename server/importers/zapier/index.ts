// Zapier import: an export file in, one KhaosFlow workflow per zap out, with a migration
// report of what each node became. Pure (no files, no database): the CLI
// (`khaosflow import zapier`) and the console's upload page both call importZapierExport.
import { parseWorkflow } from '../../workflow/index.js';
import { reviewComment, type ImportOptions } from './context.js';
import { ZapierImportError } from './errors.js';
import { parseExportText, readExport } from './export-reader.js';
import { WorkflowSlugs } from './naming.js';
import { buildReport, countNodes, type MigrationReport, type ZapReport } from './report.js';
import { convertZapTree } from './tree.js';
import type { Zap } from './types.js';
import { workflowYaml } from './workflow-file.js';

export { ZapierImportError } from './errors.js';
export { parseExportText } from './export-reader.js';
export { reportMarkdown, type MigrationReport, type ZapReport } from './report.js';

export interface ImportedWorkflow {
  slug: string;
  name: string;
  /** The workflow file's text; it validates (`report.zaps[i].problems` says otherwise). */
  yaml: string;
  /** False for paused zaps and zaps with steps that could not be imported. */
  enabled: boolean;
  zapId: string;
  /** Suggested file name: `<slug>.yaml`. */
  file: string;
}

export interface ZapierImport {
  workflows: ImportedWorkflow[];
  report: MigrationReport;
}

function disabledBecause(zap: Zap, unsupported: number): string | undefined {
  if (zap.paused) return 'the zap was paused in Zapier';
  if (unsupported) return `${unsupported} step${unsupported === 1 ? ' was' : 's were'} not imported; enable it once they are replaced`;
  return undefined;
}

/**
 * Turns a Zapier export (the editor's node form or the `{zaps: [{title, trigger, actions}]}`
 * list form, parsed or as text) into workflows and a migration report. Throws
 * ZapierImportError when the export cannot be read; problems with single steps are in the
 * report instead.
 *
 * @example const { workflows, report } = importZapierExport(JSON.parse(text), { fileName: 'zaps.json' });
 */
export function importZapierExport(json: unknown, options: ImportOptions): ZapierImport {
  const data = typeof json === 'string' ? parseExportText(json, options.fileName) : json;
  const exported = readExport(data, options.fileName);
  const slugs = new WorkflowSlugs();
  const workflows: ImportedWorkflow[] = [];
  const zapReports: ZapReport[] = [];
  for (const zap of exported.zaps) {
    const slug = slugs.take(zap.title, zap.id);
    const file = `${slug}.yaml`;
    const converted = convertZapTree(zap, slug, options);
    const counts = countNodes(converted.nodes);
    const disabled = disabledBecause(zap, counts.unsupported);
    const root = converted.nodes.find((node) => node.node_id === zap.rootId)!;
    const yaml = workflowYaml({
      name: zap.title,
      slug,
      description: `Imported from the Zapier zap "${zap.title}" (zap ${zap.id} in ${options.fileName}).`,
      trigger: converted.trigger,
      steps: converted.steps,
      header: [
        `Imported from Zapier: zap ${zap.id} "${zap.title}" in ${options.fileName}.`,
        `${counts.converted} of ${counts.total} Zapier steps converted as they were, ${counts.needs_review} need review, ${counts.unsupported} not imported.`,
        ...(disabled ? [`Imported disabled: ${disabled}.`] : []),
        'Comments below mark what to check; migration-report.md has the details.',
      ],
      triggerComment: root.status === 'converted' ? undefined : reviewComment(zap.nodes.get(zap.rootId)!, root.status, root.notes),
      stepComments: converted.reviewComments,
    });
    const parsed = parseWorkflow(yaml, { file });
    const format = (p: { line: number; col: number; message: string }) => `${file}:${p.line}:${p.col}: ${p.message}`;
    zapReports.push({
      zap_id: zap.id,
      title: zap.title,
      slug,
      file,
      enabled: disabled === undefined,
      ...(disabled ? { disabled_because: disabled } : {}),
      counts,
      nodes: converted.nodes,
      problems: [...(parsed.ok ? [] : parsed.problems), ...parsed.warnings].map(format),
    });
    workflows.push({ slug, name: zap.title, yaml, enabled: disabled === undefined, zapId: zap.id, file });
  }
  if (workflows.length === 0) throw new ZapierImportError(`${options.fileName} holds no zaps.`);
  return { workflows, report: buildReport(options.fileName, exported.form, exported.version, zapReports) };
}
