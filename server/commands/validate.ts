// `khaosflow validate <file|dir>...`: checks workflow files without a database. Prints
// `file:line:col: message` per problem on stdout; exit 0 when every file is valid, 1 when
// any is not, 2 on usage errors (no path, a path that does not exist).
import type { Command } from 'commander';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadPlugins, pluginsDir } from '../plugins/loader.js';
import { parseWorkflow } from '../workflow/parse-workflow.js';
import type { Problem } from '../workflow/types.js';
import { defaultYamlLimits, tooLarge } from '../workflow/yaml-source.js';

export interface ValidateOutput {
  out(line: string): void;
  err(line: string): void;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check workflow files (.yaml/.yml, directories searched recursively); exit 0 valid, 1 invalid, 2 usage error')
    .argument('<paths...>', 'workflow files or directories')
    .action(async (paths: string[]) => {
      // Plugin action types are part of the language: load them (KHAOSFLOW_PLUGINS or ./plugins).
      try {
        await loadPlugins(pluginsDir());
      } catch (err) {
        process.stderr.write(`khaosflow validate: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      process.exitCode = await validatePaths(paths, {
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
      });
    });
}

/** Validates every workflow file under `paths`; returns the exit code. */
export async function validatePaths(paths: string[], output: ValidateOutput): Promise<number> {
  if (paths.length === 0) {
    output.err('khaosflow validate: give at least one workflow file or directory');
    return 2;
  }
  const files: string[] = [];
  for (const path of paths) {
    const found = await workflowFiles(path);
    if (found === undefined) {
      output.err(`khaosflow validate: ${path}: no such file or directory`);
      return 2;
    }
    if (found.length === 0) {
      output.err(`khaosflow validate: ${path}: no .yaml or .yml files found`);
      return 2;
    }
    files.push(...found);
  }

  let invalid = 0;
  for (const file of files) {
    const { problems, warnings } = await validateFile(file);
    for (const warning of warnings) output.out(formatProblem(warning, 'warning: '));
    for (const problem of problems) output.out(formatProblem(problem));
    if (problems.length > 0) invalid++;
  }
  output.err(invalid === 0 ? `${files.length} workflow file(s) valid` : `${invalid} of ${files.length} workflow file(s) invalid`);
  return invalid === 0 ? 0 : 1;
}

/** `file:line:col: path: message`, the form editors and CI annotate from. */
export function formatProblem(problem: Problem, prefix = ''): string {
  return `${problem.file}:${problem.line}:${problem.col}: ${prefix}${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

async function validateFile(file: string): Promise<{ problems: Problem[]; warnings: Problem[] }> {
  try {
    const { size } = await stat(file);
    // Refuse before reading: the size limit exists so a huge file costs nothing.
    if (size > defaultYamlLimits.maxBytes) return { problems: [tooLarge(file, size)], warnings: [] };
    const result = parseWorkflow(await readFile(file, 'utf8'), { file });
    return result.ok ? { problems: [], warnings: result.warnings } : result;
  } catch (error) {
    return { problems: [{ file, line: 1, col: 1, path: '', message: `cannot read the file: ${(error as Error).message}` }], warnings: [] };
  }
}

/** The file itself, or every .yaml/.yml file below a directory (sorted); undefined if missing. */
export async function workflowFiles(path: string): Promise<string[] | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  if (!info.isDirectory()) return [path];
  const found: string[] = [];
  const entries = await readdir(path, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) found.push(...((await workflowFiles(child)) ?? []));
    else if (/\.ya?ml$/i.test(entry.name)) found.push(child);
  }
  return found;
}
