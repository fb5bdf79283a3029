// `file_list`: the entries of a folder (files and folders), or with `recursive: true`
// every file below it; `pattern` keeps the names that match a glob ("*.csv").
// Files still being written by KhaosFlow (partial names) are never listed.
import { z } from 'zod';
import { globMatcher } from '../../core/glob.js';
import { defineAction } from '../../core/action.js';
import { connectionParam, flagParam, pathParam } from './params.js';
import { withLocation } from './with-store.js';
import { yamlConnection, yamlPath } from './yaml-params.js';

const params = z.object({
  path: pathParam,
  pattern: z.string().optional(),
  recursive: flagParam.default(false),
  connection: connectionParam,
});

export const fileListAction = defineAction({
  type: 'file_list',
  title: 'List files',
  params,
  authoring: (action) =>
    action({
      path: yamlPath,
      pattern: z.string().optional().meta({ description: 'Glob on file names, e.g. "*.csv"; "**/" crosses folders.' }),
      recursive: z.boolean().default(false),
      connection: yamlConnection,
    }),
  async run(ctx, p) {
    const matches = globMatcher(p.pattern);
    return withLocation(ctx, p.path, p.connection, async ({ store, path }) => {
      const files = (await store.list(path, p.recursive)).filter((entry) => matches(entry.name));
      return { path: store.display(path), count: files.length, files };
    });
  },
  result: (output) => (output as { files: unknown }).files,
});
