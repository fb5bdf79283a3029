// A bad plugin stops start-up with a message naming its file and what is wrong.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinActionRegistry } from '../../server/actions/index.js';
import { ActionTypeClashError } from '../../server/core/action-registry.js';
import { loadPlugins, pluginFiles, PluginError, unloadPlugins } from '../../server/plugins/loader.js';

afterEach(() => unloadPlugins());

function pluginFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-plugins-'));
  for (const [name, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), body);
  }
  return dir;
}

async function problems(dir: string): Promise<string[]> {
  const err = await loadPlugins({ dir }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PluginError);
  return (err as PluginError).problems.map((p) => p.replace(dir + path.sep, ''));
}

const fake = `{ _zod: { def: { type: 'object' } }, shape: {}, safeParse: (v) => ({ success: true, data: v }) }`;

describe('plugin loading', () => {
  it('loads a default export or an array of actions, from files and folders, skipping tests', async () => {
    const dir = pluginFolder({
      'one.mjs': `export default { type: 'shout', run: async (ctx, p) => String(p.text).toUpperCase() };`,
      'many/index.js': `export default [{ type: 'first_word', run: async () => 'a' }, { type: 'last_word', run: async () => 'z' }];`,
      'one.test.mjs': 'throw new Error("tests are not plugins")',
      'notes.md': 'not code',
    });
    expect(pluginFiles(dir).map((f) => path.relative(dir, f))).toEqual(['many/index.js', 'one.mjs']);
    const actions = builtinActionRegistry();
    const loaded = await loadPlugins({ dir, actions });
    expect(loaded.flatMap((p) => p.types)).toEqual(['first_word', 'last_word', 'shout']);
    expect(await actions.get('shout')!.run({} as never, { text: 'hi' })).toBe('HI');
    // A second start in one process (its own registry) is harmless.
    const again = builtinActionRegistry();
    expect(await loadPlugins({ dir, actions: again })).toHaveLength(2);
    expect(again.has('shout')).toBe(true);
  });

  it('names the file and the problem for each bad plugin', async () => {
    const dir = pluginFolder({
      'a-no-export.mjs': 'export const action = { type: "x", run() {} };',
      'b-no-type.mjs': 'export default { run() {} };',
      'c-bad-type.mjs': 'export default { type: "Send Slack", run() {} };',
      'd-no-run.mjs': 'export default { type: "no_run" };',
      'e-params.mjs': 'export default { type: "plain_params", params: { text: "string" }, run() {} };',
      'f-builtin.mjs': `export default { type: "http_request", params: ${fake}, run() {} };`,
      'g-syntax.mjs': 'export default {',
      'h-twice.mjs': 'export default { type: "same_type", run() {} };',
      'i-twice.mjs': 'export default { type: "same_type", run() {} };',
    });
    expect(await problems(dir)).toEqual([
      'a-no-export.mjs: it has no default export (write `export default defineAction({ type, params, run })`, or export an array of actions)',
      'b-no-type.mjs: the action has no `type`',
      'c-bad-type.mjs: the action type "Send Slack" must be snake_case (lower-case letters, digits, _)',
      'd-no-run.mjs: action "no_run" has no run(ctx, params) function',
      'e-params.mjs: the params of action "plain_params" are not a zod schema (write params: z.object({ ... }))',
      'f-builtin.mjs: action type "http_request" clashes with a built-in action; give the plugin action another type',
      expect.stringMatching(/^g-syntax\.mjs: it failed to load: /),
      `i-twice.mjs: action type "same_type" is also defined by the plugin ${path.join(dir, 'h-twice.mjs')}; rename one of them`,
    ]);
  });

  it('reports a missing KHAOSFLOW_PLUGINS folder, and ignores a missing default folder', async () => {
    await expect(loadPlugins({ dir: '/nonexistent/plugins', explicit: true })).rejects.toThrow(
      /\/nonexistent\/plugins: the plugin folder given by KHAOSFLOW_PLUGINS does not exist/,
    );
    expect(await loadPlugins({ dir: '/nonexistent/plugins' })).toEqual([]);
  });

  it('reports a plugin whose type an action already in the registry has (a typed clash, not a message match)', async () => {
    const actions = builtinActionRegistry();
    expect(() => actions.register({ type: 'log', run: async () => null })).toThrow(ActionTypeClashError);
    actions.register({ type: 'taken_here', run: async () => null });
    const dir = pluginFolder({ 'taken.mjs': 'export default { type: "taken_here", run() {} };' });
    const err = await loadPlugins({ dir, actions }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginError);
    expect((err as PluginError).problems).toEqual([
      `${path.join(dir, 'taken.mjs')}: action type "taken_here" is already registered in this process; give the plugin action another type`,
    ]);
  });
});
