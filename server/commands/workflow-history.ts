// `khaosflow workflows delete|versions|rollback|export`: the workflow's history from a
// shell, through the same service functions as the API (server/workflows/authoring.ts).
import type { Command } from 'commander';
import { AuthoringError, listVersions, removeWorkflow, rollbackWorkflow, versionSource } from '../workflows/authoring.js';
import { getWorkflow } from '../workflows/index.js';
import { ServiceError } from '../service-errors.js';
import { CommandError, printJson, printTable, withServices } from './admin-runtime.js';

/** Refusals of the service layer as a CLI error (message on stderr, exit 1). */
function refused(err: unknown): never {
  if (err instanceof AuthoringError || err instanceof ServiceError) throw new CommandError(err.message);
  throw err;
}

function versionNumber(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new CommandError(`the version is a whole number from 1, not "${text}"`, 2);
  return n;
}

export function registerWorkflowHistory(workflows: Command): void {
  workflows
    .command('delete')
    .description('delete a workflow: its triggers stop at once; its runs stay readable')
    .argument('<slug>')
    .action(async (slug: string) => {
      await withServices('delete', async (services) => {
        await removeWorkflow(services.db, slug).catch(refused);
        process.stdout.write(`deleted ${slug} (its triggers stopped; its runs stay in the history)\n`);
      });
    });

  workflows
    .command('versions')
    .description("list a workflow's versions, newest first")
    .argument('<slug>')
    .option('--json', 'print as JSON')
    .action(async (slug: string, opts: { json?: boolean }) => {
      await withServices('versions', async (services) => {
        const versions = await listVersions(services.db, slug).catch(refused);
        if (opts.json) printJson(versions);
        else printTable(versions as unknown as Record<string, unknown>[], ['version', 'created_at', 'created_by']);
      });
    });

  workflows
    .command('rollback')
    .description('add a new version whose document equals version <n>')
    .argument('<slug>')
    .argument('<n>', 'the version to go back to')
    .action(async (slug: string, n: string) => {
      await withServices('rollback', async (services) => {
        const version = versionNumber(n);
        const res = await rollbackWorkflow(services.db, slug, version, 'cli').catch(refused);
        process.stdout.write(`${slug} is now version ${res.version} (the document of version ${version})\n`);
      });
    });

  workflows
    .command('export')
    .description('print the YAML of the current version (or of --version n) exactly as saved')
    .argument('<slug>')
    .option('--version <n>', 'the version to print')
    .action(async (slug: string, opts: { version?: string }) => {
      await withServices('export', async (services) => {
        const wanted = opts.version === undefined ? undefined : versionNumber(opts.version);
        const version = wanted ?? (await getWorkflow(services, slug).catch(refused)).version;
        process.stdout.write(await versionSource(services.db, slug, version).catch(refused));
      });
    });
}
