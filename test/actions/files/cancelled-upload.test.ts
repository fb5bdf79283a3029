// A step whose upload cannot finish (its source is a pipe that stops giving bytes)
// runs into its step timeout through the real engine: the upload is aborted, the
// destination's final name never appears, and the partial file is removed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeS3Clients } from '../../../server/connectors/s3-clients.js';
import { startBench, stepsByName, type Bench } from '../../helpers/engine.js';
import { startS3Server, type TestS3Server } from '../../helpers/servers/s3.js';
import { startSftpServer, type TestSftpServer } from '../../helpers/servers/sftp.js';
import { openLocation } from '../../../server/files/open-location.js';
import { testContext } from './action-context.js';

let bench: Bench;
let sftp: TestSftpServer;
let s3: TestS3Server;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-stalled-'));
  [sftp, s3] = await Promise.all([startSftpServer(), startS3Server({ buckets: ['stalled'] })]);
  process.env.KHAOSFLOW_FILE_ROOTS = dir;
  process.env.KHAOSFLOW_CONNECTION_SFTP = sftp.url;
  process.env.KHAOSFLOW_CONNECTION_S3 = s3.url;
  bench = await startBench();
});

afterAll(async () => {
  await bench?.stop();
  await closeS3Clients();
  await Promise.all([sftp?.close(), s3?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
  process.env = saved;
});

/** A named pipe holding 32 KiB (less than the pipe buffer, so writing does not wait) and kept open, so a reader gets the bytes and then waits. */
function stalledPipe(name: string): { path: string; close(): void } {
  const fifo = path.join(dir, name);
  execFileSync('mkfifo', [fifo]);
  // O_RDWR opens a FIFO without waiting for a reader (Linux).
  const fd = fs.openSync(fifo, 'r+');
  fs.writeSync(fd, Buffer.alloc(32 * 1024, 7));
  return { path: fifo, close: () => fs.closeSync(fd) };
}

describe.each([
  {
    name: 'SFTP',
    destination: () => `sftp://127.0.0.1:${sftp.port}${sftp.root}/stalled.bin`,
    partials: async () => fs.readdirSync(sftp.root),
  },
  { name: 'S3', destination: () => 's3://stalled/stalled.bin', partials: async () => [] as string[] },
])('an upload to $name that outlives its step timeout', ({ name, destination, partials }) => {
  it('is aborted and leaves no file under the final name', async () => {
    const pipe = stalledPipe(`source-${name}.bin`);
    try {
      const { slug } = await bench.apply(`
name: Stalled Upload ${name}
trigger: { type: manual }
steps:
  - name: Upload
    timeout: 1s
    action:
      type: file_upload
      source: ${pipe.path}
      destination: ${destination()}
`);
      const run = await bench.waitFor(await bench.start(slug));
      expect(run.status).toBe('failed');
      expect(stepsByName(run).Upload!.error).toMatchObject({
        message: expect.stringContaining('did not finish within its timeout of 1 s'),
      });
      const { store, path: remote } = await openLocation(
        testContext({ connections: { sftp: sftp.url, s3: s3.url } }),
        destination(),
        undefined,
      );
      try {
        expect(await store.stat(remote)).toBeNull();
      } finally {
        await store.close();
      }
      // The abandoned upload cleans up after the engine has moved on.
      await expect.poll(partials, { timeout: 10_000, interval: 50 }).toEqual([]);
    } finally {
      pipe.close();
    }
  });
});
