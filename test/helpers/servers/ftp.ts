// A real FTP server (ftp-srv) on a loopback port: one user, a temporary root folder,
// passive mode answering 127.0.0.1 on a port from a fixed range. With `tls: true` it
// also offers explicit FTPS (AUTH TLS) with a throw-away self-signed certificate.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FtpSrv } from 'ftp-srv';

export interface TestFtpServer {
  port: number;
  /** ftp://user:password@127.0.0.1:<port> - use as a connection URL. */
  url: string;
  /** The folder the FTP user sees as "/". */
  root: string;
  close(): Promise<void>;
}

const quiet = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  trace() {},
  fatal() {},
  child() {
    return quiet;
  },
};

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A self-signed certificate for 127.0.0.1, made with Debian's openssl. */
function selfSignedCertificate(dir: string): { key: Buffer; cert: Buffer } {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1'],
    { stdio: 'ignore' },
  );
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

export async function startFtpServer(opts: { user?: string; password?: string; tls?: boolean } = {}): Promise<TestFtpServer> {
  const user = opts.user ?? 'ftpuser';
  const password = opts.password ?? 'ftp-secret';
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-ftp-'));
  const certDir = opts.tls ? fs.mkdtempSync(path.join(os.tmpdir(), 'kf-ftp-tls-')) : null;
  const port = await freePort();
  const server = new FtpSrv({
    url: `ftp://127.0.0.1:${port}`,
    anonymous: false,
    pasv_url: '127.0.0.1',
    pasv_min: 40_000,
    pasv_max: 40_999,
    greeting: ['khaosflow test ftp'],
    ...(certDir ? { tls: selfSignedCertificate(certDir) } : {}),
    log: quiet as never,
  });
  server.on('login', ({ username, password: given }, resolve, reject) => {
    if (username === user && given === password) resolve({ root });
    else reject(new Error('Invalid username or password'));
  });
  server.on('client-error', () => undefined);
  await server.listen();
  return {
    port,
    url: `ftp://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    root,
    async close() {
      await server.close();
      fs.rmSync(root, { recursive: true, force: true });
      if (certDir) fs.rmSync(certDir, { recursive: true, force: true });
    },
  };
}
