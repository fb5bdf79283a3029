// `khaosflow import zapier <export.json> [--out dir] [--apply] [--timezone zone]`: turns a
// Zapier export into one workflow file per zap plus migration-report.md/.json beside
// them. Without --apply no database is needed; with it the workflows are also stored
// (paused zaps, and zaps with steps that could not be imported, disabled).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { applyWorkflow } from '../../db/queries/workflow-store.js';
import { importZapierExport, reportMarkdown, ZapierImportError, type ZapierImport } from '../importers/zapier/index.js';
import { canonicalTimeZone, parseWorkflow } from '../workflow/index.js';
import { CommandError, withServices } from './admin-runtime.js';

interface ImportZapierOptions {
  out?: string;
  apply?: boolean;
  timezone?: string;
}

async function readExportFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CommandError(code === 'ENOENT' ? `${file}: no such file` : `${file}: ${(error as Error).message}`, 2);
  }
}

/** Writes the workflow files and the report; returns the report's paths. */
async function writeImport(result: ZapierImport, out: string): Promise<string[]> {
  await mkdir(out, { recursive: true });
  for (const workflow of result.workflows) await writeFile(path.join(out, workflow.file), workflow.yaml);
  const markdown = path.join(out, 'migration-report.md');
  const json = path.join(out, 'migration-report.json');
  await writeFile(markdown, reportMarkdown(result.report));
  await writeFile(json, `${JSON.stringify(result.report, null, 2)}\n`);
  return [markdown, json];
}

function printSummary(result: ZapierImport, out: string, reports: string[]): void {
  for (const zap of result.report.zaps) {
    const c = zap.counts;
    const state = zap.enabled ? '' : ', disabled';
    process.stdout.write(
      `wrote ${path.join(out, zap.file)} (${c.converted} converted, ${c.needs_review} need review, ${c.unsupported} unsupported${state})\n`,
    );
  }
  const t = result.report.totals;
  process.stdout.write(
    `${t.zaps} zap(s), ${t.total} steps: ${t.converted} converted, ${t.needs_review} need review, ${t.unsupported} unsupported\n`,
  );
  if (result.report.secrets.length) process.stdout.write(`secrets to create: ${result.report.secrets.map((s) => s.name).join(', ')}\n`);
  process.stdout.write(`report: ${reports.join(', ')}\n`);
}

async function applyImported(result: ZapierImport): Promise<void> {
  await withServices('import', async (services) => {
    for (const workflow of result.workflows) {
      const parsed = parseWorkflow(workflow.yaml, { file: workflow.file });
      if (!parsed.ok) throw new CommandError(`${workflow.file} does not validate; nothing more was applied`);
      const res = await applyWorkflow(services.db, {
        definition: parsed.workflow,
        source: workflow.yaml,
        createdBy: 'zapier-import',
        enabled: workflow.enabled,
      });
      process.stdout.write(`${res.outcome.padEnd(9)} ${res.slug} (version ${res.version}, ${res.enabled ? 'enabled' : 'disabled'})\n`);
    }
  });
}

async function importZapier(file: string, opts: ImportZapierOptions): Promise<void> {
  if (opts.timezone !== undefined) {
    const zone = canonicalTimeZone(opts.timezone);
    if ('error' in zone) throw new CommandError(`--timezone: ${zone.error}`, 2);
  }
  const text = await readExportFile(file);
  const fileName = path.basename(file);
  let result: ZapierImport;
  try {
    result = importZapierExport(text, { fileName, timezone: opts.timezone });
  } catch (error) {
    if (error instanceof ZapierImportError) throw new CommandError(error.message);
    throw error;
  }
  const out = opts.out ?? path.join('imported', fileName.replace(/\.json$/i, ''));
  printSummary(result, out, await writeImport(result, out));
  const invalid = result.report.zaps.filter((zap) => zap.problems.length);
  if (invalid.length) {
    throw new CommandError(
      `${invalid.map((zap) => zap.problems.join('\n')).join('\n')}\nthe files above do not validate; please report this importer bug${opts.apply ? ' (nothing was applied)' : ''}`,
    );
  }
  if (opts.apply) await applyImported(result);
}

export function registerImport(program: Command): void {
  const command = program.command('import').description('import workflows from other automation tools');
  command
    .command('zapier')
    .description('turn a Zapier export into workflow files (one per zap) and migration-report.md/.json')
    .argument('<export.json>', 'the export: Zapier\'s editor export, or {"zaps": [{"title", "trigger", "actions"}]}')
    .option('--out <dir>', 'folder for the files (default ./imported/<export name>/)')
    .option('--apply', 'also store the workflows in the database (paused zaps disabled)')
    .option('--timezone <zone>', 'IANA time zone the Zapier account ran schedules in (default UTC, flagged for review)')
    .action(async (file: string, opts: ImportZapierOptions) => {
      try {
        await importZapier(file, opts);
      } catch (error) {
        process.stderr.write(`khaosflow import zapier: ${(error as Error).message}\n`);
        process.exitCode = error instanceof CommandError ? error.exitCode : 1;
      }
    });
}
