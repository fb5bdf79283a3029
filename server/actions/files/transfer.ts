// `file_copy`, `file_move`, `file_upload`, `file_download`: stream a file from a source
// to a destination on any storage (local, s3://, ftp://, sftp://). Bytes flow through
// in small chunks (a 1 GB file never sits in memory) and are counted and hashed on
// the way; the destination appears only complete (see FileStore.write).
//
// `connection:` names the storage of paths written without a scheme: the destination
// of an upload, the source of a download, both sides of a copy or move.
import { pipeline } from 'node:stream';
import { z } from 'zod';
import { ByteMeter } from '../../files/meter.js';
import { openLocation, type OpenedLocation } from '../../files/open-location.js';
import { defineAction, type ActionContext } from '../../core/action.js';
import { connectionParam, flagParam, pathParam } from './params.js';
import { yamlConnection, yamlPath } from './yaml-params.js';

const params = z.object({
  source: pathParam,
  destination: pathParam,
  overwrite: flagParam.default(true),
  connection: connectionParam,
  content_type: z.string().optional(),
});

type Params = z.output<typeof params>;
type Kind = 'copy' | 'move' | 'upload' | 'download';

async function streamCopy(ctx: ActionContext, src: OpenedLocation, dst: OpenedLocation, p: Params) {
  const { stream, size } = await src.store.read(src.path, ctx.signal);
  const meter = new ByteMeter();
  // pipeline (not pipe) so a failing source fails the write instead of stalling it.
  pipeline(stream, meter, () => undefined);
  try {
    await dst.store.write(dst.path, meter, {
      mode: p.overwrite ? 'overwrite' : 'create',
      size,
      signal: ctx.signal,
      ...(p.content_type ? { contentType: p.content_type } : {}),
    });
  } catch (err) {
    meter.destroy();
    throw err;
  }
  return { bytes: meter.bytes, sha256: meter.sha256() };
}

/** A rename within one storage, when a move allows it; null when the bytes must be copied. */
async function renameInPlace(src: OpenedLocation, dst: OpenedLocation, p: Params) {
  if (src.storage !== dst.storage) return null;
  const before = await src.store.stat(src.path);
  try {
    await src.store.rename(src.path, dst.path, p.overwrite);
  } catch (err) {
    // Two local file systems: rename cannot cross them, so the bytes are copied.
    if ((err as NodeJS.ErrnoException).code === 'EXDEV') return null;
    throw err;
  }
  return { bytes: before?.size ?? null, sha256: null };
}

function transferAction(type: `file_${Kind}`, kind: Kind, title: string) {
  return defineAction({
    type,
    title,
    params,
    authoring: (action) =>
      action({
        source: yamlPath,
        destination: yamlPath,
        overwrite: z.boolean().default(true),
        connection: yamlConnection,
        // Only an upload sets the stored object's type; the others keep the source's.
        ...(kind === 'upload' ? { content_type: z.string().optional() } : {}),
      }),
    async run(ctx, p) {
      const sourceConnection = kind === 'upload' ? undefined : p.connection;
      const destinationConnection = kind === 'download' ? undefined : p.connection;
      const src = await openLocation(ctx, p.source, sourceConnection);
      try {
        const dst = await openLocation(ctx, p.destination, destinationConnection);
        try {
          const moved = kind === 'move' ? await renameInPlace(src, dst, p) : null;
          const copied = moved ?? (await streamCopy(ctx, src, dst, p));
          if (kind === 'move' && !moved) await src.store.remove(src.path);
          return { source: src.store.display(src.path), destination: dst.store.display(dst.path), ...copied };
        } finally {
          await dst.store.close();
        }
      } finally {
        await src.store.close();
      }
    },
  });
}

export const fileCopyAction = transferAction('file_copy', 'copy', 'Copy a file');
export const fileMoveAction = transferAction('file_move', 'move', 'Move a file');
export const fileUploadAction = transferAction('file_upload', 'upload', 'Upload a file');
export const fileDownloadAction = transferAction('file_download', 'download', 'Download a file');
