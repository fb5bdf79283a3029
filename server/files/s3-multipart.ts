// Uploads a stream of unknown length (from FTP, SFTP or an append) to S3 without
// holding it in memory: parts of 8 MiB are sent one at a time, the part size doubling
// every 1,000 parts so S3's 10,000-part limit is never reached. The object appears
// only when the upload completes; a failure aborts the upload and leaves nothing.
import { addAbortSignal, type Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';

const FIRST_PART_SIZE = 8 * 1024 * 1024;

export async function uploadMultipart(
  client: S3Client,
  target: { bucket: string; key: string; contentType?: string | undefined },
  source: Readable,
  signal: AbortSignal,
): Promise<void> {
  const { bucket: Bucket, key: Key } = target;
  // A stalled source must not hold the upload open after a cancel: the signal destroys it.
  addAbortSignal(signal, source);
  const created = await client.send(
    new CreateMultipartUploadCommand({ Bucket, Key, ...(target.contentType ? { ContentType: target.contentType } : {}) }),
    { abortSignal: signal },
  );
  const UploadId = created.UploadId!;
  const parts: CompletedPart[] = [];
  let partSize = FIRST_PART_SIZE;
  const sendPart = async (chunks: Buffer[]) => {
    const PartNumber = parts.length + 1;
    const Body = Buffer.concat(chunks);
    const answer = await client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body, ContentLength: Body.length }), {
      abortSignal: signal,
    });
    parts.push({ PartNumber, ETag: answer.ETag! });
    if (parts.length % 1000 === 0) partSize *= 2;
  };
  try {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for await (const chunk of source) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      pending.push(buffer);
      pendingBytes += buffer.length;
      if (pendingBytes >= partSize) {
        await sendPart(pending);
        pending = [];
        pendingBytes = 0;
      }
    }
    // An empty stream still needs one (empty) part to complete.
    if (pendingBytes > 0 || parts.length === 0) await sendPart(pending);
    await client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }), {
      abortSignal: signal,
    });
  } catch (err) {
    source.destroy();
    await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
    throw err;
  }
}
