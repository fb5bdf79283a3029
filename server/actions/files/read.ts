// `file_read`: reads a file into the run, as text, base64 or parsed (JSON, CSV rows,
// lines). The content lands in the step's recorded output, so files are capped at
// 16 MiB; larger files are moved with file_copy / file_upload / file_download, which
// stream them instead.
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import { defineAction } from '../../core/action.js';
import { parseCsv } from './csv.js';
import { connectionParam, encodingParam, pathParam } from './params.js';
import { withLocation } from './with-store.js';
import { yamlConnection, yamlEncoding, yamlPath } from './yaml-params.js';

export const FILE_READ_MAX_BYTES = 16 * 1024 * 1024;

const params = z.object({
  path: pathParam,
  encoding: encodingParam,
  parse: z.enum(['text', 'json', 'csv', 'lines']).default('text'),
  connection: connectionParam,
});

type Params = z.output<typeof params>;

function tooLarge(where: string): NonRetryableError {
  return new NonRetryableError(
    `${where} is larger than ${FILE_READ_MAX_BYTES / 1024 / 1024} MiB, the most file_read loads into a run; move it with file_copy, file_upload or file_download, which stream it.`,
  );
}

function parseContent(text: string, parse: Params['parse'], where: string): unknown {
  switch (parse) {
    case 'text':
      return text;
    case 'lines':
      return text.split(/\r?\n/).filter((line, i, all) => !(i === all.length - 1 && line === ''));
    case 'csv':
      return parseCsv(text);
    case 'json':
      try {
        return JSON.parse(text);
      } catch (err) {
        throw new NonRetryableError(`${where} is not valid JSON (${(err as Error).message}); read it with parse: text to see it as it is.`);
      }
  }
}

export const fileReadAction = defineAction({
  type: 'file_read',
  title: 'Read a file',
  params,
  authoring: (action) =>
    action({
      path: yamlPath,
      encoding: yamlEncoding,
      parse: z.enum(['text', 'json', 'csv', 'lines']).default('text'),
      connection: yamlConnection,
    }),
  async run(ctx, p) {
    return withLocation(ctx, p.path, p.connection, async ({ store, path }) => {
      const where = store.display(path);
      const { stream, size } = await store.read(path, ctx.signal);
      if (size !== null && size > FILE_READ_MAX_BYTES) {
        stream.destroy();
        throw tooLarge(where);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of stream) {
        total += (chunk as Buffer).length;
        if (total > FILE_READ_MAX_BYTES) {
          stream.destroy();
          throw tooLarge(where);
        }
        chunks.push(chunk as Buffer);
      }
      const text = Buffer.concat(chunks).toString(p.encoding);
      return { path: where, size: total, encoding: p.encoding, content: parseContent(text, p.parse, where) };
    });
  },
  result: (output) => (output as { content: unknown }).content,
});
