// Custom actions from a folder (KHAOSFLOW_PLUGINS, an absolute path, default
// $KHAOSFLOW_HOME/plugins - never the working directory, where whoever can write a
// file would get code run with KHAOSFLOW's rights): each .js, .mjs,
// .ts or .mts file (or folder with an index file) default-exports one action made
// with defineAction({ type, title, params: z.object(...), run(ctx, params) }), or an
// array of them. Loaded at start-up: each is registered into the process's action
// registry (Services.actions) and its params schema joins the workflow language. A bad plugin stops start-up with every problem
// found, each naming its file, rather than failing later inside a run.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { ActionDefinition } from '../core/action.js';
import { type ActionRegistry, ActionTypeClashError } from '../core/action-registry.js';
import type { Logger } from '../logger.js';
import { khaosflowHome } from '../paths.js';
import { registerActionSchema, unregisterActionSchema } from '../workflow/schema/actions.js';

const EXTENSIONS = ['.js', '.mjs', '.ts', '.mts'];
const ACTION_TYPE = /^[a-z][a-z0-9_]*$/;

export class PluginError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Could not load ${problems.length === 1 ? 'a plugin' : `${problems.length} plugins`}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
    this.name = 'PluginError';
  }
}

export interface LoadedPlugin {
  file: string;
  types: string[];
}

/** Which file added each plugin action to the workflow language, so a second start in one process (tests) is a no-op. */
const loadedFrom = new Map<string, string>();

export function pluginsDir(env: NodeJS.ProcessEnv = process.env): { dir: string; explicit: boolean } {
  const configured = env.KHAOSFLOW_PLUGINS;
  if (!configured) return { dir: path.join(khaosflowHome(env), 'plugins'), explicit: false };
  if (!path.isAbsolute(configured))
    throw new PluginError([
      `KHAOSFLOW_PLUGINS is "${configured}", a relative path: give the plugin folder as an absolute path (plugins run with KhaosFlow's rights, so the folder must not depend on where KhaosFlow was started).`,
    ]);
  return { dir: path.normalize(configured), explicit: true };
}

/** Plugin entry files: tests, declarations and dotfiles are not plugins. */
export function pluginFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const index = EXTENSIONS.map((ext) => path.join(full, `index${ext}`)).find((f) => fs.existsSync(f));
      if (index) out.push(index);
    } else if (EXTENSIONS.includes(path.extname(entry.name)) && !/\.(test|spec|d)\.[mc]?[jt]s$/.test(entry.name)) {
      out.push(full);
    }
  }
  return out.sort();
}

function isZodSchema(value: unknown): value is z.ZodType {
  // Duck-typed: a plugin may bring its own copy of zod, so instanceof would lie.
  return (
    typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function' && '_zod' in value
  );
}

function isZodObject(value: z.ZodType): value is z.ZodObject {
  return (value as { _zod: { def: { type?: string } } })._zod.def.type === 'object';
}

/** What is wrong with one exported action, or null when it is usable. */
export function checkAction(candidate: unknown): string | null {
  if (typeof candidate !== 'object' || candidate === null)
    return 'the export is not an action (use `export default defineAction({ type, params, run })`)';
  const action = candidate as Partial<ActionDefinition<unknown>>;
  if (typeof action.type !== 'string' || action.type === '') return 'the action has no `type`';
  if (!ACTION_TYPE.test(action.type)) return `the action type "${action.type}" must be snake_case (lower-case letters, digits, _)`;
  if (typeof action.run !== 'function') return `action "${action.type}" has no run(ctx, params) function`;
  if (action.params !== undefined && !isZodSchema(action.params))
    return `the params of action "${action.type}" are not a zod schema (write params: z.object({ ... }))`;
  if (action.params !== undefined && !isZodObject(action.params))
    return `the params of action "${action.type}" must be a z.object({ ... }) (step params are a mapping)`;
  return null;
}

async function importPlugin(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    // Node without a TypeScript loader (the compiled build) refuses .ts: compile it on the fly with tsx.
    if ((err as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    const tsx = await import('tsx/esm/api').catch(() => null);
    if (!tsx) throw new Error('TypeScript plugins need the tsx package (npm install tsx), or compile the plugin to .js');
    return (await tsx.tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}

/**
 * Loads every plugin in `dir`: its param schemas join the workflow language, and its
 * actions are registered into `actions` (omitted by commands that only validate).
 * @throws PluginError listing each bad plugin with its file and what is wrong
 * @example await loadPlugins({ dir: pluginsDir().dir, logger, actions: services.actions });
 */
export async function loadPlugins(opts: {
  dir: string;
  explicit?: boolean;
  logger?: Logger;
  actions?: ActionRegistry;
}): Promise<LoadedPlugin[]> {
  if (!fs.existsSync(opts.dir)) {
    if (opts.explicit) throw new PluginError([`${opts.dir}: the plugin folder given by KHAOSFLOW_PLUGINS does not exist`]);
    return [];
  }
  const problems: string[] = [];
  const loaded: LoadedPlugin[] = [];
  for (const file of pluginFiles(opts.dir)) {
    let module: Record<string, unknown>;
    try {
      module = await importPlugin(file);
    } catch (err) {
      problems.push(`${file}: it failed to load: ${(err as Error).message}`);
      continue;
    }
    if (module.default === undefined) {
      problems.push(
        `${file}: it has no default export (write \`export default defineAction({ type, params, run })\`, or export an array of actions)`,
      );
      continue;
    }
    const candidates = Array.isArray(module.default) ? module.default : [module.default];
    const types: string[] = [];
    for (const candidate of candidates) {
      const problem = checkAction(candidate);
      if (problem) {
        problems.push(`${file}: ${problem}`);
        continue;
      }
      const action = candidate as ActionDefinition<unknown>;
      const previous = loadedFrom.get(action.type);
      if (previous && previous !== file) {
        problems.push(`${file}: action type "${action.type}" is also defined by the plugin ${previous}; rename one of them`);
        continue;
      }
      const clash = `${file}: action type "${action.type}" clashes with a built-in action; give the plugin action another type`;
      if (!previous) {
        try {
          // An action without a params schema takes whatever params a step gives it.
          registerActionSchema(
            action.type,
            (action.params as z.ZodObject | undefined) ?? z.looseObject({}),
            action.rawParams ? { raw: action.rawParams } : {},
          );
        } catch (err) {
          problems.push(
            err instanceof ActionTypeClashError
              ? clash
              : `${file}: action type "${action.type}" cannot be registered: ${(err as Error).message}`,
          );
          continue;
        }
        loadedFrom.set(action.type, file);
      }
      try {
        opts.actions?.register(action);
      } catch (err) {
        if (!(err instanceof ActionTypeClashError)) throw err;
        problems.push(`${file}: action type "${action.type}" is already registered in this process; give the plugin action another type`);
        continue;
      }
      types.push(action.type);
    }
    if (types.length > 0) loaded.push({ file, types });
  }
  if (problems.length > 0) throw new PluginError(problems);
  for (const plugin of loaded)
    opts.logger?.info(
      { file: plugin.file, actions: plugin.types },
      `loaded plugin ${path.basename(plugin.file)}: ${plugin.types.join(', ')}`,
    );
  return loaded;
}

/** Removes every plugin action type from the workflow language (tests). */
export function unloadPlugins(): void {
  for (const type of loadedFrom.keys()) unregisterActionSchema(type);
  loadedFrom.clear();
}
