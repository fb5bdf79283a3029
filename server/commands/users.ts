// khaosflow users create|list|set-password|set-role|disable|enable: console accounts.
// Passwords go in through standard input only (argv shows in the process list and
// shell history), and neither passwords nor their hashes are ever printed.
import type { Command } from 'commander';
import {
  countUsers,
  createUser,
  listUsers,
  parseRole,
  setDisabled,
  setPassword,
  setRole,
  USER_ROLES,
  type ConsoleUser,
} from '../console-auth/users.js';
import { CommandError, printJson, printTable, readStdin, withoutFinalNewline, withServices } from './admin-runtime.js';

/** Refuses a password given as an extra argument; true when the command may go on. */
function noPasswordOnArgv(command: Command, subcommand: string, email: string): boolean {
  if (command.args.length <= 1) return true;
  process.stderr.write(
    `khaosflow: the password is read from standard input, never from the command line (it would show in the process list and shell history). Try: printf %s "$PASSWORD" | khaosflow users ${subcommand} ${email}\n`,
  );
  process.exitCode = 2;
  return false;
}

async function readPassword(subcommand: string, email: string): Promise<string> {
  const password = withoutFinalNewline(await readStdin(`Password for ${email} (not shown): `));
  if (password === '')
    throw new CommandError(
      `No password on standard input: pipe it in, e.g. printf %s "$PASSWORD" | khaosflow users ${subcommand} ${email}`,
    );
  return password;
}

const describe = (u: ConsoleUser) => `${u.email}${u.name ? ` (${u.name})` : ''}, role ${u.role}${u.disabled_at ? ', disabled' : ''}`;

export function registerUsers(program: Command): void {
  const users = program.command('users').description('manage the accounts that log in to the console');
  const roles = USER_ROLES.join('|');

  users
    .command('create')
    .description(
      'create a console user; the password is read from standard input (e.g. printf %s "$PASSWORD" | khaosflow users create ann@example.com)',
    )
    .argument('<email>')
    .option('--name <name>', 'the name shown in the console')
    .option('--role <role>', `${roles}; default: owner for the first user, editor after that`)
    .allowExcessArguments(true)
    .action(async (email: string, opts: { name?: string; role?: string }, command: Command) => {
      if (!noPasswordOnArgv(command, 'create', email)) return;
      await withServices('users', async (services) => {
        // Checked before the password is asked for, so a typo does not cost a prompt.
        const role = opts.role === undefined ? undefined : parseRole(opts.role);
        const password = await readPassword('create', email);
        const user = await createUser(services.db, {
          email,
          name: opts.name,
          password,
          role: role ?? ((await countUsers(services.db)) === 0 ? 'owner' : 'editor'),
        });
        process.stdout.write(`Created user ${user.id}: ${describe(user)}.\n`);
      });
    });

  users
    .command('list')
    .description('list console users (never their passwords)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withServices('users', async (services) => {
        const list = await listUsers(services.db);
        if (opts.json) printJson(list);
        else
          printTable(
            list.map((u) => ({ ...u, created: u.created_at, last_login: u.last_login_at, disabled: u.disabled_at })),
            ['email', 'name', 'role', 'created', 'last_login', 'disabled'],
          );
      });
    });

  users
    .command('set-password')
    .description("set a new password, read from standard input; ends the user's sessions")
    .argument('<email>')
    .allowExcessArguments(true)
    .action(async (email: string, _opts: unknown, command: Command) => {
      if (!noPasswordOnArgv(command, 'set-password', email)) return;
      await withServices('users', async (services) => {
        const user = await setPassword(services.db, email, await readPassword('set-password', email));
        process.stdout.write(`Password of ${user.email} changed; their sessions have ended.\n`);
      });
    });

  users
    .command('set-role')
    .description(`change a user's role (${roles})`)
    .argument('<email>')
    .argument('<role>')
    .action(async (email: string, role: string) => {
      await withServices('users', async (services) => {
        const user = await setRole(services.db, email, parseRole(role));
        process.stdout.write(`${describe(user)}.\n`);
      });
    });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    users
      .command(name)
      .description(disabled ? 'stop a user from logging in and end their sessions' : 'let a disabled user log in again')
      .argument('<email>')
      .action(async (email: string) => {
        await withServices('users', async (services) => {
          const user = await setDisabled(services.db, email, disabled);
          process.stdout.write(`${user.email} ${disabled ? 'disabled; their sessions have ended' : 'enabled'}.\n`);
        });
      });
  }
}
