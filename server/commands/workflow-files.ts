// Reading workflow files for commands that store them (apply, run): every file must
// parse, or nothing is stored, so a directory is applied all or nothing.
import { readFile } from 'node:fs/promises';
import { loadPlugins, pluginsDir } from '../plugins/loader.js';
import { parseWorkflow } from '../workflow/index.js';
import type { WorkflowDefinition } from '../workflow/types.js';
import { CommandError } from './admin-runtime.js';
import { formatProblem, workflowFiles } from './validate.js';

export interface LoadedFile {
  file: string;
  source: string;
  definition: WorkflowDefinition;
}

export async function loadWorkflowFiles(paths: string[]): Promise<LoadedFile[]> {
  // Plugin action types are part of the language; loading twice in a process is a no-op.
  await loadPlugins(pluginsDir());
  const files: string[] = [];
  for (const path of paths) {
    const found = await workflowFiles(path);
    if (!found) throw new CommandError(`${path}: no such file or directory`, 2);
    if (found.length === 0) throw new CommandError(`${path}: no .yaml or .yml files found`, 2);
    files.push(...found);
  }
  const loaded: LoadedFile[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const source = await readFile(file, 'utf8');
    const result = parseWorkflow(source, { file });
    if (result.ok) loaded.push({ file, source, definition: result.workflow });
    else problems.push(...result.problems.map((p) => formatProblem(p)));
  }
  if (problems.length) throw new CommandError(`${problems.join('\n')}\nnothing was applied: fix the problems above first`);
  const seen = new Map<string, string>();
  for (const { file, definition } of loaded) {
    const other = seen.get(definition.slug);
    if (other)
      throw new CommandError(`${other} and ${file} both define workflow "${definition.slug}"; give one of them another name or slug:`, 1);
    seen.set(definition.slug, file);
  }
  return loaded;
}
