// khaosflow vars set|list|delete: workflow variables ({{vars.NAME}} or {{NAME}}).
import type { Command } from 'commander';
import { createVariableStore, parseVariableValue } from '../variables/store.js';
import { CommandError, printJson, printTable, withServices } from './admin-runtime.js';

export function registerVars(program: Command): void {
  const vars = program.command('vars').description('manage workflow variables ({{vars.NAME}} or {{NAME}})');

  vars
    .command('set')
    .description('create or replace a variable; VALUE is JSON when it parses as JSON (10, true, {"a":1}), else text')
    .argument('<name>')
    .argument('<value>')
    .option('--string', 'keep VALUE as text even when it looks like JSON')
    .action(async (name: string, value: string, opts: { string?: boolean }) => {
      await withServices('vars', async (services) => {
        const parsed = parseVariableValue(value, { asString: opts.string ?? false });
        await createVariableStore(services.db).set(name, parsed);
        process.stderr.write(`Variable "${name}" = ${JSON.stringify(parsed)}\n`);
      });
    });

  vars
    .command('list')
    .description('list variables from the database and the environment')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withServices('vars', async (services) => {
        const list = await createVariableStore(services.db, { env: process.env }).list();
        if (opts.json) printJson(list);
        else
          printTable(
            list.map((v) => ({ ...v, value: JSON.stringify(v.value) })),
            ['name', 'source', 'value'],
          );
      });
    });

  vars
    .command('delete')
    .description('delete a database variable')
    .argument('<name>')
    .action(async (name: string) => {
      await withServices('vars', async (services) => {
        if (!(await createVariableStore(services.db).delete(name)))
          throw new CommandError(`There is no variable "${name}" in the database.`);
        process.stderr.write(`Variable "${name}" deleted.\n`);
      });
    });
}
