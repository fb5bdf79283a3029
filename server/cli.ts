// The `khaosflow` command line. Each command lives in server/commands/<name>.ts and
// registers itself here; this file only wires them together.
import { Command } from 'commander';
import { registerStart } from './commands/start.js';
import { registerWorker } from './commands/worker.js';
import { registerMigrate } from './commands/migrate.js';
import { registerSecrets } from './commands/secrets.js';
import { registerKeys } from './commands/keys.js';
import { registerUsers } from './commands/users.js';
import { registerConnections } from './commands/connections.js';
import { registerVars } from './commands/vars.js';
import { registerTemplates } from './commands/templates.js';
import { registerValidate } from './commands/validate.js';
import { registerSchema } from './commands/schema.js';
import { registerWorkflows } from './commands/workflows.js';
import { registerRun } from './commands/run.js';
import { registerImport } from './commands/import.js';
import { version } from './version.js';

const program = new Command('khaosflow')
  .description('Self-hosted workflow automation on Postgres')
  .version(version)
  // Program options (--version) count only before the command, so `workflows export
  // <slug> --version 2` means the workflow's version 2.
  .enablePositionalOptions()
  .showHelpAfterError()
  .exitOverride((err) => {
    // Usage errors exit 2 (validate documents 0 valid / 1 invalid / 2 usage).
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

registerStart(program);
registerWorker(program);
registerMigrate(program);
registerSecrets(program);
registerKeys(program);
registerUsers(program);
registerConnections(program);
registerVars(program);
registerTemplates(program);
registerValidate(program);
registerSchema(program);
registerWorkflows(program);
registerRun(program);
registerImport(program);

await program.parseAsync(process.argv);
