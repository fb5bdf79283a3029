// A plugin action (examples/plugins/slugify.ts) inside a real workflow run, and its
// params schema guarding both the YAML and the values templates produce at run time.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/paths.js';
import { parseWorkflow } from '../../server/workflow/index.js';
import { startBench, stepsByName, type Bench } from '../helpers/engine.js';

let bench: Bench;
beforeAll(async () => {
  // The node loads the plugins into its own action registry, as `khaosflow start` does.
  bench = await startBench({ env: { KHAOSFLOW_PLUGINS: path.join(projectRoot, 'examples/plugins') } });
});
afterAll(() => bench?.stop());

describe('plugin actions in workflows', () => {
  it('runs the example plugin as a step and passes its result on', async () => {
    const { slug } = await bench.apply(`
name: Publish Post
steps:
  - name: Make Slug
    action: { type: slugify, text: "{{trigger.data.title}}", max_length: 20 }
  - name: Announce
    action: { type: log, message: "/posts/{{steps.make_slug.result.slug}}" }
`);
    const run = await bench.waitFor(await bench.start(slug, { title: 'Crème Brûlée Recipe, Step by Step!' }));
    expect(run.status).toBe('succeeded');
    expect(stepsByName(run)['Make Slug']!.output).toEqual({ slug: 'creme-brulee-recipe' });
    expect(stepsByName(run).Announce!.output).toMatchObject({ message: '/posts/creme-brulee-recipe' });
  });

  it('rejects params that do not match the plugin schema when the workflow is validated', () => {
    const result = parseWorkflow('name: Bad Slug\nsteps:\n  - name: S\n    action: { type: slugify, text: hi, separator: "+" }\n', {
      file: 'bad.yaml',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]).toMatchObject({ line: 4, path: 'steps[0].action.separator' });
    expect(result.problems[0]!.message).toMatch(/"-"|"_"|"\."/);
  });

  it('fails the step, without retrying, when a template resolves to a value the schema refuses', async () => {
    const { slug } = await bench.apply(`
name: Slug From Number
steps:
  - name: Make Slug
    action: { type: slugify, text: "{{trigger.data.n}}" }
    retry: { attempts: 3, delay: 10ms }
`);
    const run = await bench.waitFor(await bench.start(slug, { n: 42 }));
    expect(run.status).toBe('failed');
    expect(run.steps).toHaveLength(1);
    expect(run.error).toMatchObject({ retryable: false, step: 'Make Slug' });
    expect((run.error as { message: string }).message).toMatch(
      /^The slugify params of step "Make Slug" are invalid after templates were resolved: text: /,
    );
  });
});
