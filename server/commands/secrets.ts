// khaosflow secrets set|list|delete|rotate-key. Values go in through standard input
// only (never argv, which other users can read in the process list and shells keep
// in history) and never come out.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { KEY_BYTES, parseMasterKey, replaceKeyFile, writeKeyFileOnce, readKeyFile } from '../secrets/master-key.js';
import { rotateMasterKey } from '../secrets/rotate.js';
import { assertSecretName } from '../secrets/store.js';
import { CommandError, printJson, printTable, readStdin, withoutFinalNewline, withServices } from './admin-runtime.js';

export function registerSecrets(program: Command): void {
  const secrets = program.command('secrets').description('manage the encrypted secrets workflows read as {{secrets.NAME}}');

  secrets
    .command('set')
    .description(
      'create or replace a secret; the value is read from standard input (e.g. printf %s "$TOKEN" | khaosflow secrets set api_token)',
    )
    .argument('<name>', 'secret name (letters, digits, _)')
    .allowExcessArguments(true)
    .action(async (name: string, _opts: unknown, command: Command) => {
      if (command.args.length > 1) {
        process.stderr.write(
          'khaosflow: the value is read from standard input, never from the command line (it would show in the process list and shell history). Try: printf %s "$VALUE" | khaosflow secrets set ' +
            name +
            '\n',
        );
        process.exitCode = 2;
        return;
      }
      await withServices('secrets', async (services) => {
        assertSecretName(name);
        const value = withoutFinalNewline(await readStdin(`Value for secret ${name} (not shown): `));
        if (value === '') throw new CommandError(`The value of secret "${name}" is empty: pipe it on standard input.`);
        await services.vault.secrets.set(name, value);
        process.stderr.write(`Secret "${name}" saved (encrypted with key id ${services.vault.keyring.currentId}).\n`);
      });
    });

  secrets
    .command('list')
    .description('list secret names (values are never shown)')
    .option('--all', 'include the secret fields of connections')
    .option('--json', 'print JSON')
    .action(async (opts: { all?: boolean; json?: boolean }) => {
      await withServices('secrets', async (services) => {
        const list = await services.vault.secrets.list({ includeConnectionFields: opts.all ?? false });
        if (opts.json) printJson(list);
        else
          printTable(
            list.map((s) => ({ name: s.name, key_id: s.keyId, updated: s.updatedAt })),
            ['name', 'key_id', 'updated'],
          );
      });
    });

  secrets
    .command('delete')
    .description('delete a secret')
    .argument('<name>')
    .action(async (name: string) => {
      await withServices('secrets', async (services) => {
        if (name.startsWith('connection:'))
          throw new CommandError(
            `"${name}" belongs to a connection: change it with \`khaosflow connections add ${name.split(':')[1]} --replace\` or delete the connection.`,
          );
        if (!(await services.vault.secrets.delete(name))) throw new CommandError(`There is no secret "${name}".`);
        process.stderr.write(`Secret "${name}" deleted.\n`);
      });
    });

  secrets
    .command('rotate-key')
    .description('re-encrypt every secret with a new master key, while KhaosFlow keeps running')
    .option('--new-key-file <file>', 'file holding the new key (base64 or hex of 32 bytes); default: generate one')
    .addHelpText(
      'after',
      `
The current key is KHAOSFLOW_SECRET_KEY, or $KHAOSFLOW_HOME/secret.key.
Without --new-key-file a key is generated into $KHAOSFLOW_HOME/secret.key.new
(an interrupted rotation picks the same file up again).
When the current key came from secret.key, that file is replaced with the new key.
When it came from KHAOSFLOW_SECRET_KEY, set that variable to the new key on every
KhaosFlow process and restart them. Processes still running with the old key keep
working meanwhile; the first start with the new key retires the old one.`,
    )
    .action(async (opts: { newKeyFile?: string }) => {
      await withServices('secrets', async (services) => {
        const { master } = services.vault;
        const generatedFile = path.join(services.config.home, 'secret.key.new');
        let newKey: Buffer;
        let keyFile: string;
        if (opts.newKeyFile) {
          keyFile = path.resolve(opts.newKeyFile);
          newKey = parseMasterKey(fs.readFileSync(keyFile, 'utf8'), `--new-key-file ${keyFile}`);
        } else {
          keyFile = generatedFile;
          writeKeyFileOnce(keyFile, randomBytes(KEY_BYTES)); // keeps an existing file: resuming uses the same key
          newKey = readKeyFile(keyFile);
        }
        const result = await rotateMasterKey(services.db, services.vault.keyring, newKey, {
          log: (msg) => process.stderr.write(`${msg}\n`),
        });
        const done = `Re-encrypted ${result.reencrypted} secret(s) from key id ${result.fromKeyId} to key id ${result.toKeyId}.`;
        if (master.source === 'file' && master.file) {
          replaceKeyFile(master.file, newKey);
          if (keyFile === generatedFile) fs.rmSync(generatedFile, { force: true });
          process.stderr.write(
            `${done}\n${master.file} now holds the new key. Restart KhaosFlow processes when convenient; running ones keep working until then.\n`,
          );
        } else {
          process.stderr.write(
            `${done}\nSet KHAOSFLOW_SECRET_KEY to the key in ${keyFile} on every KhaosFlow process and restart them (running ones keep working until then)${keyFile === generatedFile ? `, then delete ${keyFile}` : ''}.\n`,
          );
        }
      });
    });
}
