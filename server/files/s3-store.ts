// S3 and S3-compatible storage (MinIO, Ceph, s3rver). Keys are paths: a "folder" is a
// key prefix ending in "/". An object becomes visible only when its upload completes,
// so writes need no partial name.
import { PassThrough, type Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describeConnectionFailure } from '../connections/failures.js';
import { NonRetryableError, StepError } from '../core/errors.js';
import { uploadMultipart } from './s3-multipart.js';
import type { FileEntry, FileStore, WriteOptions } from './store.js';

/** PutObject takes at most 5 GiB; larger (or unknown) sizes go in parts. */
const SINGLE_PUT_MAX = 5 * 1024 ** 3;

function isMissing(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e.name === 'NoSuchBucket') return false;
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

/** `a` then `b`, as one stream. */
function concat(a: Readable, b: Readable): Readable {
  const out = new PassThrough();
  void (async () => {
    try {
      for (const part of [a, b]) {
        for await (const chunk of part) if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      }
      out.end();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}

/** An S3 failure as a step error: a missing bucket or refused credentials fail at once, the rest may pass. */
function s3StepError(err: unknown, bucket: string, endpoint: string): unknown {
  const e = err as { name?: string };
  if (err instanceof StepError || e.name === 'AbortError') return err;
  if (e.name === 'NoSuchBucket')
    return new NonRetryableError(`The bucket "${bucket}" does not exist at ${endpoint}; create it, or fix the bucket in the path.`, {
      cause: err,
    });
  const reason = describeConnectionFailure('s3', err, 30_000);
  const message = `S3 at ${endpoint} (bucket "${bucket}") failed: ${reason}${/[.?!]$/.test(reason) ? '' : '.'}`;
  return reason.startsWith('the login was refused')
    ? new NonRetryableError(message, { cause: err })
    : new StepError(message, { cause: err });
}

/** Every operation of `store` with its errors turned into step errors. */
function withStepErrors(store: FileStore, bucket: string, endpoint: string): FileStore {
  const wrap =
    <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await operation(...args);
      } catch (err) {
        throw s3StepError(err, bucket, endpoint);
      }
    };
  return {
    ...store,
    read: wrap(store.read),
    write: wrap(store.write),
    stat: wrap(store.stat),
    list: wrap(store.list),
    remove: wrap(store.remove),
    rename: wrap(store.rename),
  };
}

/** @param endpoint where the client points, for messages (no credentials) */
export function s3Store(client: S3Client, bucket: string, endpoint = 'AWS S3'): FileStore {
  const Bucket = bucket;
  const key = (p: string) => p.replace(/^\/+/, '');
  const display = (p: string) => `s3://${bucket}/${key(p)}`;

  const head = async (p: string) => {
    try {
      return await client.send(new HeadObjectCommand({ Bucket, Key: key(p) }));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  };

  const store: FileStore = {
    display,
    async read(p, signal) {
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket, Key: key(p) }), { abortSignal: signal });
        return { stream: answer.Body as Readable, size: answer.ContentLength ?? null };
      } catch (err) {
        if (isMissing(err)) throw new NonRetryableError(`${display(p)} does not exist.`);
        throw err;
      }
    },
    async write(p, source, opts: WriteOptions) {
      let body = source;
      let size = opts.size;
      if (opts.mode === 'create' && (await head(p)))
        throw new NonRetryableError(`${display(p)} already exists; use mode: overwrite (or overwrite: true) to replace it.`);
      if (opts.mode === 'append' && (await head(p))) {
        // S3 cannot append: the object is rewritten as its old bytes followed by the new ones.
        const existing = await store.read(p, opts.signal);
        body = concat(existing.stream, source);
        size = size !== null && existing.size !== null ? size + existing.size : null;
      }
      const target = { bucket, key: key(p), contentType: opts.contentType };
      if (size === null || size > SINGLE_PUT_MAX) return uploadMultipart(client, target, body, opts.signal);
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: key(p),
          Body: body,
          ContentLength: size,
          ...(opts.contentType ? { ContentType: opts.contentType } : {}),
        }),
        { abortSignal: opts.signal },
      );
    },
    async stat(p) {
      const answer = await head(p);
      if (!answer) return null;
      return {
        name: key(p).split('/').pop()!,
        path: display(p),
        type: 'file',
        size: answer.ContentLength ?? null,
        modified: answer.LastModified?.toISOString() ?? null,
      };
    },
    async list(p, recursive) {
      const prefix = key(p) === '' || key(p).endsWith('/') ? key(p) : `${key(p)}/`;
      const out: FileEntry[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken, ...(recursive ? {} : { Delimiter: '/' }) }),
        );
        for (const folder of page.CommonPrefixes ?? []) {
          const name = folder.Prefix!.slice(prefix.length).replace(/\/$/, '');
          out.push({ name, path: display(folder.Prefix!), type: 'directory', size: null, modified: null });
        }
        for (const object of page.Contents ?? []) {
          if (object.Key === prefix) continue; // the "folder" marker some tools create
          out.push({
            name: object.Key!.split('/').pop()!,
            path: display(object.Key!),
            type: 'file',
            size: object.Size ?? null,
            modified: object.LastModified?.toISOString() ?? null,
          });
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return out.sort((a, b) => a.path.localeCompare(b.path));
    },
    async remove(p) {
      // DeleteObject succeeds for a missing key; ask first so the output can tell.
      if (!(await head(p))) return false;
      await client.send(new DeleteObjectCommand({ Bucket, Key: key(p) }));
      return true;
    },
    async rename(from, to, overwrite) {
      if (!(await head(from))) throw new NonRetryableError(`${display(from)} does not exist.`);
      if (!overwrite && (await head(to))) throw new NonRetryableError(`${display(to)} already exists; set overwrite: true to replace it.`);
      const source = `${bucket}/${key(from)}`.split('/').map(encodeURIComponent).join('/');
      await client.send(new CopyObjectCommand({ Bucket, Key: key(to), CopySource: source }));
      await client.send(new DeleteObjectCommand({ Bucket, Key: key(from) }));
    },
    // The client is shared per connection (s3-clients.ts) and outlives the step.
    async close() {},
  };
  return withStepErrors(store, bucket, endpoint);
}
