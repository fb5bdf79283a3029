import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileDeleteAction } from '../../../server/actions/files/delete.js';
import { fileListAction } from '../../../server/actions/files/list.js';
import { fileReadAction } from '../../../server/actions/files/read.js';
import { fileCopyAction, fileDownloadAction, fileMoveAction, fileUploadAction } from '../../../server/actions/files/transfer.js';
import { fileWriteAction } from '../../../server/actions/files/write.js';
import { NonRetryableError } from '../../../server/core/errors.js';
import { openLocation } from '../../../server/files/open-location.js';
import { closeS3Clients } from '../../../server/connectors/s3-clients.js';
import { startFtpServer, type TestFtpServer } from '../../helpers/servers/ftp.js';
import { startS3Server, type TestS3Server } from '../../helpers/servers/s3.js';
import { startSftpServer, type TestSftpServer } from '../../helpers/servers/sftp.js';
import { runAction, testContext, type TestContext } from './action-context.js';

let local: string;
let s3: TestS3Server;
let ftp: TestFtpServer;
let sftp: TestSftpServer;
let sample: { file: string; sha256: string; size: number };
const savedRoots = process.env.KHAOSFLOW_FILE_ROOTS;

async function writeRandomFile(file: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const out = fs.createWriteStream(file);
  for (let left = size; left > 0; left -= 256 * 1024) {
    const chunk = randomBytes(Math.min(left, 256 * 1024));
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return hash.digest('hex');
}

const sha256Of = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

beforeAll(async () => {
  local = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-remote-local-'));
  process.env.KHAOSFLOW_FILE_ROOTS = local;
  [s3, ftp, sftp] = await Promise.all([startS3Server({ buckets: ['files', 'other-bucket'] }), startFtpServer(), startSftpServer()]);
  const file = path.join(local, 'sample.bin');
  const size = 5 * 1024 * 1024 + 123;
  sample = { file, size, sha256: await writeRandomFile(file, size) };
});

afterAll(async () => {
  if (savedRoots === undefined) delete process.env.KHAOSFLOW_FILE_ROOTS;
  else process.env.KHAOSFLOW_FILE_ROOTS = savedRoots;
  await closeS3Clients();
  await Promise.all([s3?.close(), ftp?.close(), sftp?.close()]);
  fs.rmSync(local, { recursive: true, force: true });
});

/** Connections as KHAOSFLOW_CONNECTION_S3 / _FTP / _SFTP / _SFTP_KEY would give them. */
function ctx(signal?: AbortSignal): TestContext {
  const sftpPort = new URL(sftp.url).port;
  return testContext({
    connections: { s3: s3.url, ftp: ftp.url, sftp: sftp.url, sftp_key: `sftp://sftpuser@127.0.0.1:${sftpPort}` },
    options: { sftp_key: { privateKey: sftp.privateKey } },
    ...(signal ? { signal } : {}),
  });
}

interface Storage {
  name: string;
  /** A remote URL for `name` inside the storage's test folder. */
  url(name: string): string;
  /** Names of everything in the storage's test folder, as the server holds it. */
  folderNames(): Promise<string[]>;
}

const storages: Storage[] = [
  {
    name: 'S3',
    url: (name) => `s3://files/round-trips/${name}`,
    async folderNames() {
      const { store } = await openLocation(ctx(), 's3://files/round-trips', undefined);
      return (await store.list('round-trips', false)).map((e) => e.name);
    },
  },
  {
    name: 'FTP',
    url: (name) => `ftp://127.0.0.1:${ftp.port}/round-trips/${name}`,
    folderNames: async () => fs.readdirSync(path.join(ftp.root, 'round-trips')).sort(),
  },
  {
    name: 'SFTP',
    url: (name) => `sftp://127.0.0.1:${sftp.port}${sftp.root}/round-trips/${name}`,
    folderNames: async () => fs.readdirSync(path.join(sftp.root, 'round-trips')).sort(),
  },
];

describe.each(storages)('$name', (storage) => {
  it('uploads a file and downloads the same bytes back (sha256)', async () => {
    const remote = storage.url('sample.bin');
    const up = await runAction(fileUploadAction, ctx(), { source: sample.file, destination: remote });
    expect(up.output).toMatchObject({ source: sample.file, bytes: sample.size, sha256: sample.sha256 });
    expect(up.output.destination).not.toContain('secret');
    const back = path.join(local, `${storage.name}-back.bin`);
    const down = await runAction(fileDownloadAction, ctx(), { source: remote, destination: back });
    expect(down.output).toMatchObject({ bytes: sample.size, sha256: sample.sha256 });
    expect(sha256Of(back)).toBe(sample.sha256);
  });

  it('writes, reads, lists, moves and deletes remote files', async () => {
    await runAction(fileWriteAction, ctx(), { path: storage.url('notes/a.txt'), content: 'hello remote' });
    await runAction(fileWriteAction, ctx(), { path: storage.url('notes/b.csv'), content: 'id\n1\n' });
    expect((await runAction(fileReadAction, ctx(), { path: storage.url('notes/a.txt') })).result).toBe('hello remote');
    const listed = await runAction(fileListAction, ctx(), { path: storage.url('notes'), pattern: '*.txt' });
    expect(listed.result.map((f: { name: string; size: number }) => [f.name, f.size])).toEqual([['a.txt', 12]]);

    await runAction(fileMoveAction, ctx(), { source: storage.url('notes/a.txt'), destination: storage.url('notes/moved/c.txt') });
    await expect(runAction(fileReadAction, ctx(), { path: storage.url('notes/a.txt') })).rejects.toThrow(/does not exist/);
    expect((await runAction(fileReadAction, ctx(), { path: storage.url('notes/moved/c.txt') })).result).toBe('hello remote');

    await expect(
      runAction(fileCopyAction, ctx(), {
        source: storage.url('notes/b.csv'),
        destination: storage.url('notes/moved/c.txt'),
        overwrite: false,
      }),
    ).rejects.toThrow(/already exists/);
    expect((await runAction(fileDeleteAction, ctx(), { path: storage.url('notes/moved/c.txt') })).output.deleted).toBe(true);
    expect((await runAction(fileDeleteAction, ctx(), { path: storage.url('notes/moved/c.txt'), missing_ok: true })).output.deleted).toBe(
      false,
    );
  });

  it('refuses a path that climbs out of its folder with ..', async () => {
    await expect(runAction(fileReadAction, ctx(), { path: storage.url('../../../../etc/passwd') })).rejects.toThrow(
      /contains "\.\.", which file actions refuse/,
    );
    await expect(runAction(fileUploadAction, ctx(), { source: sample.file, destination: storage.url('../escaped.bin') })).rejects.toThrow(
      /contains "\.\."/,
    );
  });

  it('never shows a partial upload under the final name when the step is cancelled mid-stream', async () => {
    const controller = new AbortController();
    let chunks = 0;
    const source = new Readable({
      read() {
        if (chunks < 4) {
          chunks++;
          this.push(randomBytes(64 * 1024));
        } else controller.abort(new Error('step cancelled'));
      },
    });
    const { store, path: remotePath } = await openLocation(ctx(controller.signal), storage.url('cancelled.bin'), undefined);
    try {
      await expect(store.write(remotePath, source, { mode: 'overwrite', size: null, signal: controller.signal })).rejects.toThrow();
    } finally {
      await store.close();
    }
    expect(chunks).toBe(4);
    const { store: check, path: checkPath } = await openLocation(ctx(), storage.url('cancelled.bin'), undefined);
    try {
      expect(await check.stat(checkPath)).toBeNull();
    } finally {
      await check.close();
    }
    expect((await storage.folderNames()).filter((n) => n.includes('cancelled'))).toEqual([]);
  });
});

describe('FTPS', () => {
  it('uploads and downloads over explicit TLS (ftps://), trusting a self-signed server when asked', async () => {
    const secure = await startFtpServer({ tls: true });
    try {
      const url = `${secure.url.replace(/^ftp:/, 'ftps:')}/?reject_unauthorized=false`;
      const tlsCtx = testContext({ connections: { vault: url } });
      const up = await runAction(fileUploadAction, tlsCtx, { source: sample.file, destination: 'secure/sample.bin', connection: 'vault' });
      expect(up.output).toMatchObject({ destination: `ftps://ftpuser@127.0.0.1:${secure.port}/secure/sample.bin`, sha256: sample.sha256 });
      expect(sha256Of(path.join(secure.root, 'secure', 'sample.bin'))).toBe(sample.sha256);
      const back = path.join(local, 'ftps-back.bin');
      await runAction(fileDownloadAction, tlsCtx, { source: 'secure/sample.bin', destination: back, connection: 'vault' });
      expect(sha256Of(back)).toBe(sample.sha256);
      // Without the opt-in the self-signed certificate is refused.
      const strict = testContext({ connections: { vault: secure.url.replace(/^ftp:/, 'ftps:') } });
      await expect(runAction(fileReadAction, strict, { path: 'secure/sample.bin', connection: 'vault' })).rejects.toThrow(
        /Could not connect to ftps:\/\/ftpuser@127\.0\.0\.1:\d+: the server's TLS certificate is not trusted .*add \?reject_unauthorized=false/,
      );
    } finally {
      await secure.close();
    }
  });
});

describe('remote credentials', () => {
  it("sends a connection's credentials only to the host its URL names", async () => {
    await expect(runAction(fileReadAction, ctx(), { path: 'ftp://files.example.net/x.txt' })).rejects.toThrow(
      /names host files\.example\.net:21, but connection "ftp" is for 127\.0\.0\.1:\d+; its credentials are only sent to its own host/,
    );
    await expect(runAction(fileReadAction, ctx(), { path: `sftp://127.0.0.2:${sftp.port}/etc/hostname` })).rejects.toThrow(
      /credentials are only sent to its own host/,
    );
  });

  it('logs in to SFTP with a private key, with paths relative to the named connection', async () => {
    const relative = path.join(sftp.root, 'by-key.txt');
    await runAction(fileWriteAction, ctx(), { path: relative, content: 'signed in with a key', connection: 'sftp_key' });
    expect(fs.readFileSync(relative, 'utf8')).toBe('signed in with a key');
  });

  it('uses an S3 connection named on the step, and the bucket in the path', async () => {
    const named = testContext({ connections: { archive: s3.url } });
    await runAction(fileUploadAction, named, {
      source: sample.file,
      destination: 's3://other-bucket/from-named.bin',
      connection: 'archive',
    });
    const { output } = await runAction(fileListAction, named, { path: 's3://other-bucket/', connection: 'archive' });
    expect(output.files.map((f: { name: string }) => f.name)).toEqual(['from-named.bin']);
  });

  it('says which connection to create when there is no S3 connection', async () => {
    await expect(runAction(fileReadAction, testContext(), { path: 's3://files/x' })).rejects.toThrow(
      /No S3 connection for "s3:\/\/files\/x"\. Create one named "s3"/,
    );
  });

  it('fails at once, saying so, when the server refuses the login', async () => {
    const wrong = testContext({
      connections: { ftp: ftp.url.replace('ftp-secret', 'wrong'), sftp: sftp.url.replace('sftp-secret', 'wrong') },
    });
    await expect(runAction(fileListAction, wrong, { path: `ftp://127.0.0.1:${ftp.port}/` })).rejects.toThrow(
      /Could not connect to ftp:\/\/ftpuser@127\.0\.0\.1:\d+: the login was refused/,
    );
    await expect(runAction(fileListAction, wrong, { path: `sftp://127.0.0.1:${sftp.port}/tmp` })).rejects.toThrow(
      /the login was refused.*check the user name and password/,
    );
    await expect(runAction(fileListAction, wrong, { path: `sftp://127.0.0.1:${sftp.port}/tmp` })).rejects.toBeInstanceOf(NonRetryableError);
  });

  it('says when an S3 bucket does not exist, or the S3 credentials are refused', async () => {
    await expect(runAction(fileReadAction, ctx(), { path: 's3://no-such-bucket/x.txt' })).rejects.toThrow(
      /The bucket "no-such-bucket" does not exist at 127\.0\.0\.1:\d+/,
    );
    const wrongKey = testContext({ connections: { s3: s3.url.replace('S3RVER:S3RVER', 'NOBODY:WRONG') } });
    const refused = runAction(fileWriteAction, wrongKey, { path: 's3://files/refused.txt', content: 'x' });
    await expect(refused).rejects.toThrow(/S3 at 127\.0\.0\.1:\d+ \(bucket "files"\) failed: the login was refused/);
    await expect(refused).rejects.toBeInstanceOf(NonRetryableError);
  });

  it('redacts the connection password from what the step records', async () => {
    const context = ctx();
    await runAction(fileListAction, context, { path: `ftp://127.0.0.1:${ftp.port}/` });
    expect(context.secretsSeen).toContain('ftp-secret');
  });
});
