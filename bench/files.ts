// Memory of large file transfers: a 200 MB file goes local -> remote -> local through
// file_upload and file_download, for S3 (s3rver), FTP (ftp-srv) and SFTP (ssh2 + OpenSSH's
// sftp-server), all on loopback in this process. Prints peak RSS and heap growth (the
// design promises under 64 MB) and throughput. Run alone with `npx tsx bench/files.ts`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ActionContext, ActionDefinition } from '../server/core/action.js';
import { fileDownloadAction, fileUploadAction } from '../server/actions/files/transfer.js';
import { staticConnectionResolver } from '../server/connections/env.js';
import { connectionTypeOfUrl } from '../server/connections/types.js';
import { closeS3Clients } from '../server/connectors/s3-clients.js';
import type { Services } from '../server/services.js';
import { startFtpServer } from '../test/helpers/servers/ftp.js';
import { startS3Server } from '../test/helpers/servers/s3.js';
import { startSftpServer } from '../test/helpers/servers/sftp.js';
import { generateFile, MB } from '../test/helpers/large-file.js';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

const SIZE = 200 * MB;

function context(connections: Record<string, string>): ActionContext {
  const list = Object.entries(connections).map(([name, url]) => ({
    name,
    url,
    type: connectionTypeOfUrl(url)!,
    options: {},
    source: 'env' as const,
  }));
  return {
    services: { config: { home: os.tmpdir() } } as unknown as Services,
    connections: staticConnectionResolver(list),
    run: { id: 'bench', workflowSlug: 'bench', workflowName: 'bench', version: 1, triggerKind: 'manual' },
    step: { name: 'bench', slug: 'bench', path: '0', attempt: 1 },
    signal: new AbortController().signal,
    log: () => undefined,
    addSecret: () => undefined,
    redact: (value) => value,
    expressionContext: {},
    getSecret: async () => undefined,
  };
}

async function run(action: ActionDefinition<any>, ctx: ActionContext, params: Record<string, unknown>): Promise<{ sha256: string }> {
  return (await action.run(ctx, action.params!.parse(params))) as { sha256: string };
}

/** Round trip of `file` through `remote`; peak RSS and heap growth over the state before it. */
async function measure(ctx: ActionContext, file: string, remote: string, back: string) {
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 10);
  const started = performance.now();
  try {
    const up = await run(fileUploadAction, ctx, { source: file, destination: remote });
    const down = await run(fileDownloadAction, ctx, { source: remote, destination: back });
    if (up.sha256 !== down.sha256) throw new Error(`${remote}: the downloaded bytes differ from the uploaded ones`);
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - started) / 1000;
  return { rss: (peakRss - before.rss) / MB, heap: (peakHeap - before.heapUsed) / MB, throughput: (2 * SIZE) / MB / seconds };
}

export async function benchFiles(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-bench-files-'));
  const savedRoots = process.env.KHAOSFLOW_FILE_ROOTS;
  process.env.KHAOSFLOW_FILE_ROOTS = dir;
  const [s3, ftp, sftp] = await Promise.all([startS3Server({ buckets: ['bench'] }), startFtpServer(), startSftpServer()]);
  const results: BenchResult[] = [];
  try {
    const ctx = context({ s3: s3.url, ftp: ftp.url, sftp: sftp.url });
    const targets = [
      { name: 'S3', remote: (f: string) => `s3://bench/${f}` },
      { name: 'FTP', remote: (f: string) => `ftp://127.0.0.1:${ftp.port}/${f}` },
      { name: 'SFTP', remote: (f: string) => `sftp://127.0.0.1:${sftp.port}${sftp.root}/${f}` },
    ];
    const big = path.join(dir, 'big.bin');
    const warm = path.join(dir, 'warm.bin');
    await generateFile(warm, 2 * MB);
    await generateFile(big, SIZE);
    for (const target of targets) {
      // Warm-up: the first transfer loads code and opens pools; the measurement is of steady transfers.
      await measure(ctx, warm, target.remote('warm.bin'), path.join(dir, 'warm.back'));
      const m = await measure(ctx, big, target.remote('big.bin'), path.join(dir, `big.${target.name}.back`));
      fs.rmSync(path.join(dir, `big.${target.name}.back`));
      results.push(
        { name: `200 MB local->${target.name}->local: peak RSS growth`, value: m.rss, unit: 'MB' },
        { name: `200 MB local->${target.name}->local: peak heap growth`, value: m.heap, unit: 'MB' },
        { name: `200 MB local->${target.name}->local: throughput`, value: m.throughput, unit: 'MB/s' },
      );
    }
  } finally {
    await closeS3Clients();
    await Promise.all([s3.close(), ftp.close(), sftp.close()]);
    if (savedRoots === undefined) delete process.env.KHAOSFLOW_FILE_ROOTS;
    else process.env.KHAOSFLOW_FILE_ROOTS = savedRoots;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  for (const r of await benchFiles()) console.log(`${r.name.padEnd(48)} ${r.value.toFixed(1).padStart(8)} ${r.unit}`);
}
