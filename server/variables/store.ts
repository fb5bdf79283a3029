// Workflow variables: khaosflow.variables (any JSON value) first, then the
// environment (KHAOSFLOW_VAR_<NAME>=text, name lower-cased). Every run reads them all,
// so they are cached briefly; a write in this process clears the cache at once.
import type { Db } from '../../db/client.js';
import type { VariableStore } from './types.js';

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface VariableEntry {
  name: string;
  value: unknown;
  source: 'database' | 'env';
}

export interface VariableAdmin extends VariableStore {
  set(name: string, value: unknown): Promise<void>;
  /** @returns false when the database had no such variable */
  delete(name: string): Promise<boolean>;
  /** Database and environment variables, the winning one per name. */
  list(): Promise<VariableEntry[]>;
}

export function assertVariableName(name: string): void {
  if (!VARIABLE_NAME.test(name)) {
    throw new Error(
      `"${name}" is not a valid variable name: use letters, digits and underscores, not starting with a digit (it is read as {{vars.${name}}} or {{${name}}}).`,
    );
  }
}

/**
 * A command-line value: JSON when it parses as JSON (`10`, `true`, `{"a":1}`, `"text"`),
 * else the text itself, so `vars set khaosbase_url https://...` needs no quotes.
 */
export function parseVariableValue(text: string, opts: { asString?: boolean } = {}): unknown {
  if (opts.asString) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function envVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('KHAOSFLOW_VAR_') && value !== undefined) out[key.slice('KHAOSFLOW_VAR_'.length).toLowerCase()] = value;
  }
  return out;
}

/**
 * @example const vars = createVariableStore(db, { env: process.env }); await vars.set('khaosbase_url', 'https://kb.example.com');
 */
export function createVariableStore(db: Db, opts: { env?: NodeJS.ProcessEnv; cacheMs?: number } = {}): VariableAdmin {
  const cacheMs = opts.cacheMs ?? 5_000;
  const fromEnv = envVariables(opts.env ?? {});
  let cached: { at: number; rows: Promise<Array<{ name: string; value: unknown }>> } | null = null;
  const rows = () => {
    if (!cached || Date.now() - cached.at > cacheMs) {
      const loaded = db.selectFrom('khaosflow.variables').select(['name', 'value']).orderBy('name').execute();
      cached = { at: Date.now(), rows: loaded };
      loaded.catch(() => {
        cached = null;
      });
    }
    return cached.rows;
  };

  return {
    async all() {
      const out: Record<string, unknown> = { ...fromEnv };
      for (const row of await rows()) out[row.name] = row.value;
      return out;
    },
    async set(name, value) {
      assertVariableName(name);
      if (value === undefined) throw new Error(`Variable "${name}" needs a value.`);
      const json = JSON.stringify(value);
      await db
        .insertInto('khaosflow.variables')
        .values({ name, value: json })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value: json, updated_at: new Date() }))
        .execute();
      cached = null;
    },
    async delete(name) {
      const result = await db.deleteFrom('khaosflow.variables').where('name', '=', name).executeTakeFirst();
      cached = null;
      return Number(result.numDeletedRows) > 0;
    },
    async list() {
      const seen = new Map<string, VariableEntry>();
      for (const row of await rows()) seen.set(row.name, { name: row.name, value: row.value, source: 'database' });
      for (const [name, value] of Object.entries(fromEnv)) if (!seen.has(name)) seen.set(name, { name, value, source: 'env' });
      return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}
