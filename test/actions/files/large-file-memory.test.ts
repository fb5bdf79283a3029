// Large files stream through KhaosFlow: a 200 MB round trip local -> S3 -> local must
// not grow the process's memory by more than 64 MB. Memory is asserted, not time.
// The S3 server (s3rver) runs in this same process, so its buffers count too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileDownloadAction, fileUploadAction } from '../../../server/actions/files/transfer.js';
import { closeS3Clients } from '../../../server/connectors/s3-clients.js';
import { startS3Server, type TestS3Server } from '../../helpers/servers/s3.js';
import { runAction, testContext } from './action-context.js';
import { generateFile, MB } from '../../helpers/large-file.js';

const SIZE = 200 * MB;
const LIMIT = 64 * MB;

let dir: string;
let s3: TestS3Server;
const savedRoots = process.env.KHAOSFLOW_FILE_ROOTS;

/** Peak resident memory while `work` runs, sampled every 10 ms. */
async function peakRss(work: () => Promise<unknown>): Promise<number> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage().rss);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-memory-'));
  process.env.KHAOSFLOW_FILE_ROOTS = dir;
  s3 = await startS3Server({ buckets: ['big'] });
});

afterAll(async () => {
  if (savedRoots === undefined) delete process.env.KHAOSFLOW_FILE_ROOTS;
  else process.env.KHAOSFLOW_FILE_ROOTS = savedRoots;
  await closeS3Clients();
  await s3?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a 200 MB file', () => {
  it('goes local -> S3 -> local with the same sha256 and less than 64 MB of memory growth', async () => {
    const ctx = testContext({ connections: { s3: s3.url } });
    const roundTrip = async (name: string) => {
      const up = await runAction(fileUploadAction, ctx, { source: path.join(dir, name), destination: `s3://big/${name}` });
      const down = await runAction(fileDownloadAction, ctx, { source: `s3://big/${name}`, destination: path.join(dir, `${name}.back`) });
      return { up: up.output, down: down.output };
    };
    // Warm-up: load the S3 client and s3rver code paths so the measurement sees transfers, not imports.
    await generateFile(path.join(dir, 'warm.bin'), 2 * MB);
    await roundTrip('warm.bin');

    const sha256 = await generateFile(path.join(dir, 'big.bin'), SIZE);
    const before = process.memoryUsage().rss;
    let result: Awaited<ReturnType<typeof roundTrip>> | undefined;
    const peak = await peakRss(async () => {
      result = await roundTrip('big.bin');
    });
    const growth = peak - before;
    console.info(
      `200 MB local -> S3 -> local: RSS ${Math.round(before / MB)} MB before, peak ${Math.round(peak / MB)} MB, growth ${Math.round(growth / MB)} MB`,
    );

    expect(result!.up).toMatchObject({ bytes: SIZE, sha256 });
    expect(result!.down).toMatchObject({ bytes: SIZE, sha256 });
    expect(fs.statSync(path.join(dir, 'big.bin.back')).size).toBe(SIZE);
    expect(growth).toBeLessThan(LIMIT);
  }, 180_000);
});
