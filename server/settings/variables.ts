// Workflow variables ({{vars.NAME}}) as the API and the console manage them.
import { z } from 'zod';
import { notFound } from '../core/http-error.js';
import type { Services } from '../services.js';
import { assertVariableName, type VariableEntry } from '../variables/store.js';
import { checkName, parseInput } from './input.js';

type Deps = Pick<Services, 'variables'>;

export const variableInput = z.object({ value: z.unknown().refine((v) => v !== undefined, 'a value is required') }).strict();

export async function listVariables(deps: Deps): Promise<{ variables: VariableEntry[] }> {
  return { variables: await deps.variables.list() };
}

export async function putVariable(deps: Deps, name: string, body: unknown): Promise<VariableEntry> {
  checkName(assertVariableName, name);
  const { value } = parseInput('variable', variableInput, body);
  await deps.variables.set(name, value);
  return { name, value, source: 'database' };
}

export async function deleteVariable(deps: Deps, name: string): Promise<void> {
  if (!(await deps.variables.delete(name)))
    throw notFound(`Variable "${name}" (in the database; environment variables are changed where they are set)`);
}
