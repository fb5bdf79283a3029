// `khaosflow workflows apply|list|enable|disable`: workflows as code (history: workflow-history.ts).
import type { Command } from 'commander';
import { applyWorkflow } from '../../db/queries/workflow-store.js';
import { ServiceError } from '../service-errors.js';
import { listWorkflows, setWorkflowEnabled } from '../workflows/index.js';
import { CommandError, printJson, printTable, withServices } from './admin-runtime.js';
import { registerWorkflowHistory } from './workflow-history.js';
import { loadWorkflowFiles } from './workflow-files.js';

export function registerWorkflows(program: Command): void {
  const workflows = program.command('workflows').description('store workflow files in the database and manage them');

  workflows
    .command('apply')
    .description('create workflows, or add a new version of those whose YAML changed (all files or none)')
    .argument('<paths...>', 'workflow files or directories')
    .option('--disabled', 'store them disabled (staged): no trigger starts runs until enabled')
    .option('--json', 'print the result as JSON')
    .action(async (paths: string[], opts: { disabled?: boolean; json?: boolean }) => {
      await withServices('apply', async (services) => {
        const files = await loadWorkflowFiles(paths);
        const results = [];
        for (const f of files) {
          const res = await applyWorkflow(services.db, {
            definition: f.definition,
            source: f.source,
            createdBy: 'cli',
            ...(opts.disabled ? { enabled: false } : {}),
          });
          results.push({ file: f.file, ...res });
        }
        if (opts.json) printJson(results);
        else
          for (const r of results)
            process.stdout.write(
              `${r.outcome.padEnd(9)} ${r.slug} (version ${r.version}, ${r.enabled ? 'enabled' : 'disabled'}) from ${r.file}\n`,
            );
      });
    });

  workflows
    .command('list')
    .description('list workflows')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      await withServices('list', async (services) => {
        const rows = (await listWorkflows(services)).map(({ id, slug, name, enabled, current_version, updated_at, last_run_at }) => ({
          id,
          slug,
          name,
          enabled,
          current_version,
          updated_at,
          last_run_at,
        }));
        if (opts.json) printJson(rows);
        else
          printTable(
            rows.map((r) => ({ ...r, version: r.current_version })),
            ['slug', 'name', 'version', 'enabled', 'last_run_at'],
          );
      });
    });

  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    workflows
      .command(name)
      .description(`${name} a workflow (its triggers ${enabled ? 'start' : 'stop starting'} runs)`)
      .argument('<slug>')
      .action(async (slug: string) => {
        await withServices(name, async (services) => {
          await setWorkflowEnabled(services, slug, enabled).catch((err) => {
            if (err instanceof ServiceError && err.kind === 'not_found')
              throw new CommandError(`no workflow "${slug}" (see khaosflow workflows list)`);
            throw err;
          });
          process.stdout.write(`${slug} ${enabled ? 'enabled' : 'disabled'}\n`);
        });
      });
  }

  registerWorkflowHistory(workflows);
}
