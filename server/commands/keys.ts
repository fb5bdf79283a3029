// khaosflow keys create|list|revoke: API keys for the REST API and webhooks. A new
// key is printed once, alone on standard output (so `KEY=$(khaosflow keys create)`
// works); KhaosFlow keeps only its hash.
import type { Command } from 'commander';
import { createApiKey, listApiKeys, parseScopes, revokeApiKey } from '../api-keys/store.js';
import { CommandError, printJson, printTable, withServices } from './admin-runtime.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('manage API keys for the REST API and webhooks');

  keys
    .command('create')
    .description('create an API key and print it (shown only this once)')
    .option('--workflow <slug>', 'limit the key to one workflow')
    .option(
      '--scope <scopes>',
      'read, write and/or webhook (repeat or comma-separate); default: webhook with --workflow, else all',
      collect,
    )
    .option('--name <name>', 'what the key is for (shown in listings)')
    .action(async (opts: { workflow?: string; scope?: string[]; name?: string }) => {
      await withServices('keys', async (services) => {
        const workflowSlug = opts.workflow ?? null;
        const scopes = parseScopes(opts.scope, workflowSlug);
        const { key, info } = await createApiKey(services.db, { name: opts.name ?? null, workflowSlug, scopes });
        process.stdout.write(`${key}\n`);
        process.stderr.write(
          `API key ${info.id} (prefix ${info.prefix}, scopes ${info.scopes.join(',')}${workflowSlug ? `, workflow ${workflowSlug}` : ''}) created. Store it now: it is not shown again. Send it as "Authorization: Bearer <key>".\n`,
        );
      });
    });

  keys
    .command('list')
    .description('list API keys (never the keys themselves)')
    .option('--all', 'include revoked keys')
    .option('--json', 'print JSON')
    .action(async (opts: { all?: boolean; json?: boolean }) => {
      await withServices('keys', async (services) => {
        const list = await listApiKeys(services.db, { includeRevoked: opts.all ?? false });
        if (opts.json) printJson(list);
        else
          printTable(
            list.map((k) => ({ ...k, workflow: k.workflow_slug, last_used: k.last_used_at, revoked: k.revoked_at })),
            ['id', 'prefix', 'name', 'workflow', 'scopes', 'last_used', ...(opts.all ? ['revoked'] : [])],
          );
      });
    });

  keys
    .command('revoke')
    .description('revoke an API key by id or prefix; it stops working at once')
    .argument('<id-or-prefix>')
    .action(async (target: string) => {
      await withServices('keys', async (services) => {
        const key = await revokeApiKey(services.db, target);
        if (!key) throw new CommandError(`There is no API key with id or prefix "${target}" (see \`khaosflow keys list\`).`);
        process.stderr.write(`API key ${key.id} (prefix ${key.prefix}) revoked.\n`);
      });
    });
}
