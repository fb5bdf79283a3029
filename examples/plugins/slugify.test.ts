// The example plugin as KhaosFlow loads it: through the plugin loader, into the
// action registry and the workflow language.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionRegistry } from '../../server/core/action-registry.js';
import type { ActionContext } from '../../server/core/action.js';
import { loadPlugins, unloadPlugins } from '../../server/plugins/loader.js';
import { actionSchema } from '../../server/workflow/schema/actions.js';
import { slugify } from './slugify.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The smallest context run() needs; the executor builds the real one. */
function minimalContext(logs: string[] = []): ActionContext {
  return { log: (level: string, message: string) => logs.push(`${level}: ${message}`) } as unknown as ActionContext;
}

describe('the slugify example plugin', () => {
  const actions = new ActionRegistry();
  beforeAll(async () => {
    const loaded = await loadPlugins({ dir: here, explicit: true, actions });
    expect(loaded).toEqual([{ file: path.join(here, 'slugify.ts'), types: ['slugify'] }]);
  });
  afterAll(() => unloadPlugins());

  it('is loaded by the plugin loader into the action registry', () => {
    expect(actions.get('slugify')).toMatchObject({ type: 'slugify', title: 'Slugify text', pure: true });
  });

  it('validates params with its schema, filling defaults', () => {
    const action = actions.get('slugify')!;
    expect(action.params!.parse({ text: 'Hello World' })).toEqual({ text: 'Hello World', separator: '-' });
  });

  it('rejects params that do not match, saying which and why', () => {
    const parsed = actions.get('slugify')!.params!.safeParse({ text: 42, separator: '+', max_length: 0 });
    expect(parsed.success).toBe(false);
    const issues = parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual([
      'text: Invalid input: expected string, received number',
      'separator: Invalid option: expected one of "-"|"_"|"."',
      'max_length: Too small: expected number to be >=1',
    ]);
  });

  it('joins the workflow language: a step using it is checked as written', () => {
    const schema = actionSchema();
    expect(schema.safeParse({ type: 'slugify', text: '{{trigger.data.title}}', max_length: 60 }).success).toBe(true);
    const wrong = schema.safeParse({ type: 'slugify', txt: 'typo' });
    expect(wrong.success).toBe(false);
    expect(JSON.stringify(wrong.error!.issues)).toMatch(/txt|text/);
  });

  it('runs with a minimal context', async () => {
    const action = actions.get('slugify')!;
    const logs: string[] = [];
    expect(await action.run(minimalContext(logs), action.params!.parse({ text: 'Crème Brûlée Recipe!' }))).toEqual({
      slug: 'creme-brulee-recipe',
    });
    expect(await action.run(minimalContext(logs), action.params!.parse({ text: '!!!' }))).toEqual({ slug: '' });
    expect(logs).toEqual(['warn: the text has no letters or digits; the slug is empty']);
  });

  it('cuts long slugs at a word boundary', () => {
    expect(slugify('The quick brown fox jumps', '_', 15)).toBe('the_quick_brown');
    expect(slugify('The quick brown fox jumps', '-', 12)).toBe('the-quick');
    expect(slugify('Supercalifragilistic', '-', 5)).toBe('super');
  });
});
