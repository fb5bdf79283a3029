// `khaosflow schema`: the JSON Schema of workflow files on stdout, for editors, e.g.
//   npx khaosflow schema > khaosflow.schema.json
// and `# yaml-language-server: $schema=./khaosflow.schema.json` atop a workflow file.
import type { Command } from 'commander';
import { workflowJsonSchema } from '../workflow/json-schema.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of workflow files (for editor validation and completion)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(workflowJsonSchema(), null, 2)}\n`);
    });
}
