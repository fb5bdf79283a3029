// A real S3 API (s3rver) on a loopback port, storing objects in a temporary folder.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface TestS3Server {
  port: number;
  /** s3://KEY:SECRET@127.0.0.1:<port>/?... - use as a connection URL. */
  url: string;
  /** Where s3rver keeps the objects. */
  directory: string;
  close(): Promise<void>;
}

/** s3rver accepts only its own fixed credentials. */
const KEY = 'S3RVER';
const SECRET = 'S3RVER';

export async function startS3Server(opts: { buckets: string[] }): Promise<TestS3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: opts.buckets.map((name) => ({ name })),
  });
  const { port } = (await server.run()) as AddressInfo;
  return {
    port,
    url: `s3://${KEY}:${SECRET}@127.0.0.1:${port}/?region=us-east-1&path_style=true&tls=false`,
    directory,
    async close() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
