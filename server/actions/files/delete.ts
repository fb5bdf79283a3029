// `file_delete`: deletes one file. A missing file fails the step unless `missing_ok`,
// so a typo in a cleanup step is noticed instead of silently doing nothing.
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import { defineAction } from '../../core/action.js';
import { connectionParam, flagParam, pathParam } from './params.js';
import { withLocation } from './with-store.js';
import { yamlConnection, yamlPath } from './yaml-params.js';

const params = z.object({
  path: pathParam,
  missing_ok: flagParam.default(false),
  connection: connectionParam,
});

export const fileDeleteAction = defineAction({
  type: 'file_delete',
  title: 'Delete a file',
  params,
  authoring: (action) =>
    action({
      path: yamlPath,
      missing_ok: z.boolean().default(false),
      connection: yamlConnection,
    }),
  async run(ctx, p) {
    return withLocation(ctx, p.path, p.connection, async ({ store, path }) => {
      const deleted = await store.remove(path);
      if (!deleted && !p.missing_ok) {
        throw new NonRetryableError(
          `${store.display(path)} does not exist, so there is nothing to delete; add missing_ok: true if that is expected.`,
        );
      }
      return { path: store.display(path), deleted };
    });
  },
});
