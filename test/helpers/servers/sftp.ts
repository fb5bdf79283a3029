// A real SFTP server on a loopback port: ssh2's Server does the SSH side (one user,
// by password or by key) and hands each session's sftp subsystem to OpenSSH's own
// sftp-server binary, so uploads, renames (with posix-rename) and errors behave as
// on a real host. Paths are the machine's absolute paths; tests use `root`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';

export const SFTP_SERVER_BINARY = '/usr/lib/openssh/sftp-server';

export interface TestSftpServer {
  port: number;
  /** sftp://user:password@127.0.0.1:<port> - use as a connection URL. */
  url: string;
  /** A private key the server also accepts (connection option `privateKey`). */
  privateKey: string;
  /** A temporary folder for the test's files (absolute, as SFTP paths are). */
  root: string;
  close(): Promise<void>;
}

export async function startSftpServer(opts: { user?: string; password?: string } = {}): Promise<TestSftpServer> {
  const user = opts.user ?? 'sftpuser';
  const password = opts.password ?? 'sftp-secret';
  if (!fs.existsSync(SFTP_SERVER_BINARY))
    throw new Error(`${SFTP_SERVER_BINARY} is missing; install Debian's openssh-sftp-server (apt-get install openssh-sftp-server).`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-sftp-'));
  const hostKey = ssh2.utils.generateKeyPairSync('ed25519');
  const clientKey = ssh2.utils.generateKeyPairSync('ed25519');
  const allowedKey = ssh2.utils.parseKey(clientKey.public);
  if (allowedKey instanceof Error) throw allowedKey;
  const children = new Set<ReturnType<typeof spawn>>();

  const server = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => {
    client.on('error', () => undefined);
    // As OpenSSH does: without it, Nagle's algorithm adds ~40 ms to every SFTP request.
    (client as unknown as { setNoDelay(on: boolean): void }).setNoDelay(true);
    client.on('authentication', (ctx) => {
      if (ctx.username !== user) return ctx.reject(['password', 'publickey']);
      if (ctx.method === 'password' && ctx.password === password) return ctx.accept();
      if (ctx.method === 'publickey' && ctx.key.algo === allowedKey.type && ctx.key.data.equals(allowedKey.getPublicSSH())) {
        if (!ctx.signature || allowedKey.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
      }
      ctx.reject(['password', 'publickey']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        acceptSession().on('subsystem', (accept, reject, info) => {
          if (info.name !== 'sftp') return reject();
          const channel = accept();
          const child = spawn(SFTP_SERVER_BINARY, [], { cwd: root, stdio: ['pipe', 'pipe', 'ignore'] });
          children.add(child);
          channel.pipe(child.stdin);
          child.stdout.pipe(channel);
          child.stdin.on('error', () => undefined);
          child.on('exit', (code) => {
            children.delete(child);
            channel.exit(code ?? 0);
            channel.end();
          });
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    url: `sftp://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    privateKey: clientKey.private,
    root,
    async close() {
      for (const child of children) child.kill();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
