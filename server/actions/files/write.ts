// `file_write`: writes text or a value (as JSON) to a local path or remote storage. The
// file appears complete or not at all (a partial name, renamed at the end), except in
// append mode, which adds to a file that is already there.
import { Readable } from 'node:stream';
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import { ByteMeter } from '../../files/meter.js';
import { defineAction } from '../../core/action.js';
import { connectionParam, encodingParam, pathParam } from './params.js';
import { withLocation } from './with-store.js';
import { templatedValue } from '../../core/param-schemas.js';
import { yamlConnection, yamlEncoding, yamlPath } from './yaml-params.js';

const params = z.object({
  path: pathParam,
  content: z.unknown(),
  encoding: encodingParam,
  mode: z.enum(['overwrite', 'append', 'create']).default('overwrite'),
  connection: connectionParam,
});

/** Text is decoded with `encoding` (base64 text becomes its bytes); any other value is written as JSON. */
export function contentBytes(content: unknown, encoding: BufferEncoding): Buffer {
  if (content === undefined) throw new NonRetryableError('file_write needs content: the text (or value) to write.');
  if (typeof content === 'string') return Buffer.from(content, encoding);
  return Buffer.from(JSON.stringify(content, null, 2), 'utf8');
}

export const fileWriteAction = defineAction({
  type: 'file_write',
  title: 'Write a file',
  params,
  authoring: (action) =>
    action({
      path: yamlPath,
      content: templatedValue.meta({ description: 'Text, or any value (written as JSON).' }),
      encoding: yamlEncoding,
      mode: z.enum(['overwrite', 'append', 'create']).default('overwrite').meta({ description: 'create fails when the file exists.' }),
      connection: yamlConnection,
    }),
  async run(ctx, p) {
    const bytes = contentBytes(p.content, p.encoding);
    return withLocation(ctx, p.path, p.connection, async ({ store, path }) => {
      const meter = new ByteMeter();
      const source = Readable.from([bytes]).pipe(meter);
      await store.write(path, source, { mode: p.mode, size: bytes.length, signal: ctx.signal });
      return { path: store.display(path), bytes: meter.bytes, sha256: meter.sha256(), mode: p.mode };
    });
  },
});
