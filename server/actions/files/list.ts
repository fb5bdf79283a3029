// `file_list`: the entries of a folder (files and folders), or with `recursive: true`
// every file below it; `pattern` keeps the names that match a glob ("*.csv").
// Files still being written by KhaosFlow (partial names) are never listed.
import { z } from 'zod';
import { globToRegExp } from '../../files/glob.js';
import { defineAction } from '../../core/action.js';
import { connectionParam, flagParam, pathParam } from './params.js';
import { withLocation } from './with-store.js';

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
  async run(ctx, p) {
    const match = p.pattern ? globToRegExp(p.pattern) : null;
    return withLocation(ctx, p.path, p.connection, async ({ store, path }) => {
      const files = (await store.list(path, p.recursive)).filter((entry) => !match || match.test(entry.name));
      return { path: store.display(path), count: files.length, files };
    });
  },
  result: (output) => (output as { files: unknown }).files,
});
