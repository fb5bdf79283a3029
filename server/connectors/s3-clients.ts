// One S3 client per connection URL, kept for the life of the process: a client holds a
// keep-alive agent, and a backup workflow uploading every few minutes should not open
// a new TLS session each time. closeS3Clients() belongs to shutdown.
import { S3Client } from '@aws-sdk/client-s3';
import { parseS3Url } from '../connections/urls.js';

const clients = new Map<string, S3Client>();

/** The client for an s3:// connection URL, and the bucket its path names (if any). */
export function s3ClientFor(url: string): { client: S3Client; bucket: string | undefined } {
  const { bucket, client: config } = parseS3Url(url);
  let client = clients.get(url);
  if (!client) {
    client = new S3Client(config);
    clients.set(url, client);
  }
  return { client, bucket };
}

export async function closeS3Clients(): Promise<void> {
  for (const client of clients.values()) client.destroy();
  clients.clear();
}
