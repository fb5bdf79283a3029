// khaosflow connections add|list|test|delete. The URL comes from standard input (or
// --url, for URLs without a password) and is never printed with its password.
import fs from 'node:fs';
import type { Command } from 'commander';
import { deleteConnection, saveConnection } from '../connections/store.js';
import { testConnection } from '../connections/test-connection.js';
import { CONNECTION_TYPES, type ConnectionType } from '../connections/types.js';
import { CommandError, printJson, printTable, readStdin, withServices } from './admin-runtime.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

function parseOptions(pairs: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new CommandError(`--option expects key=value, got "${pair}".`, 2);
    const value = pair.slice(at + 1);
    // key=@file reads the value from a file, so a private key never sits on the command line.
    out[pair.slice(0, at)] = value.startsWith('@') ? fs.readFileSync(value.slice(1), 'utf8') : value;
  }
  return out;
}

export function registerConnections(program: Command): void {
  const connections = program.command('connections').description('manage connections to databases, mail, file and HTTP servers');

  connections
    .command('add')
    .description('save a connection in the database; the URL is read from standard input unless --url is given')
    .argument('<name>', 'connection name (lower-case letters, digits, _ and -)')
    .option('--url <url>', 'the URL (avoid for URLs with a password: the command line is visible to other users)')
    .option('--type <type>', `check the URL is of this type (${CONNECTION_TYPES.join(', ')})`)
    .option(
      '--option <key=value>',
      'an extra setting (repeatable); key=@file reads the value from a file, e.g. privateKey=@/home/me/.ssh/id_ed25519',
      collect,
    )
    .option('--replace', 'replace a connection of the same name')
    .option('--test', 'test the connection after saving it')
    .action(async (name: string, opts: { url?: string; type?: string; option?: string[]; replace?: boolean; test?: boolean }) => {
      await withServices('connections', async (services) => {
        if (opts.type && !CONNECTION_TYPES.includes(opts.type as ConnectionType))
          throw new CommandError(`--type must be one of ${CONNECTION_TYPES.join(', ')}.`, 2);
        const url = (opts.url ?? (await readStdin(`URL of connection ${name} (not shown): `))).trim();
        if (!url) throw new CommandError(`No URL given for connection "${name}": pipe it on standard input or pass --url.`);
        const input = { name, url, options: parseOptions(opts.option), ...(opts.type ? { type: opts.type as ConnectionType } : {}) };
        const saved = await saveConnection(services.db, services.vault.secrets, input, opts.replace ? 'upsert' : 'create');
        services.vault.connections.invalidate();
        process.stderr.write(`Saved ${saved.type} connection "${saved.name}": ${saved.url}\n`);
        if (opts.test) {
          const connection = await services.vault.connections.get(name);
          const result = await testConnection(connection!);
          process.stdout.write(`${result.message}\n`);
          if (!result.ok) process.exitCode = 1;
        }
      });
    });

  connections
    .command('list')
    .description('list connections from the database, connections.yaml and the environment (passwords hidden)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withServices('connections', async (services) => {
        const list = await services.vault.connections.list();
        if (opts.json) printJson(list);
        else
          printTable(
            list.map((c) => ({ ...c })),
            ['name', 'type', 'source', 'url'],
          );
      });
    });

  connections
    .command('test')
    .description('connect and report success or what failed (exit 0 / 1)')
    .argument('<name>')
    .option('--timeout <ms>', 'how long to wait for the server', '10000')
    .action(async (name: string, opts: { timeout: string }) => {
      await withServices('connections', async (services) => {
        const connection = await services.vault.connections.get(name);
        if (!connection) throw new CommandError(`There is no connection "${name}" (see \`khaosflow connections list\`).`);
        const result = await testConnection(connection, { timeoutMs: Number(opts.timeout) || 10_000 });
        process.stdout.write(`${result.message}\n`);
        if (!result.ok) process.exitCode = 1;
      });
    });

  connections
    .command('delete')
    .description('delete a database connection and its secrets')
    .argument('<name>')
    .action(async (name: string) => {
      await withServices('connections', async (services) => {
        if (!(await deleteConnection(services.db, services.vault.secrets, name))) {
          throw new CommandError(
            `There is no connection "${name}" in the database (connections from connections.yaml or the environment are removed there).`,
          );
        }
        process.stderr.write(`Connection "${name}" deleted.\n`);
      });
    });
}
