// Real servers on loopback ports for connection tests: SMTP (smtp-server), FTP
// (ftp-srv), SFTP (an ssh2 Server), S3 (s3rver), HTTP (node:http) and IMAP (Debian's
// dovecot, when installed). Each answers one known user and refuses others.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FtpSrv } from 'ftp-srv';
import S3rver from 's3rver';
import { SMTPServer } from 'smtp-server';
import ssh2 from 'ssh2';

export const USER = 'alice';
export const PASSWORD = 'w0nder land/+@';

export interface TestServer {
  port: number;
  close(): Promise<void>;
}

const listening = (server: net.Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });

const closing = (server: net.Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listening(server);
  await closing(server);
  return port;
}

export async function startSmtpServer(): Promise<TestServer> {
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
      else callback(new Error('Invalid username or password'));
    },
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.server.address() as net.AddressInfo).port)));
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function startHttpServer(): Promise<TestServer> {
  const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/private') && req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic' }).end();
      return;
    }
    res.writeHead(req.url?.startsWith('/broken') ? 500 : 200).end(req.method === 'HEAD' ? undefined : 'ok');
  });
  const port = await listening(server);
  return { port, close: () => { server.closeAllConnections(); return closing(server); } };
}

const quietLog = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, fatal() {}, child() { return quietLog; } };

export async function startFtpServer(): Promise<TestServer> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-ftp-'));
  const port = await closedPort();
  const server = new FtpSrv({ url: `ftp://127.0.0.1:${port}`, anonymous: false, pasv_url: '127.0.0.1', greeting: ['test ftp'], log: quietLog as never });
  server.on('login', ({ username, password }, resolve, reject) => {
    if (username === USER && password === PASSWORD) resolve({ root });
    else reject(new Error('Invalid username or password'));
  });
  await server.listen();
  return { port, close: async () => { await server.close(); } };
}

export async function startSftpServer(): Promise<TestServer> {
  const hostKey = ssh2.utils.generateKeyPairSync('ed25519').private;
  const { STATUS_CODE } = ssh2.utils.sftp;
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === USER && ctx.password === PASSWORD) ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        accept().on('sftp', (acceptSftp) => {
          const sftp = acceptSftp();
          sftp.on('REALPATH', (reqid, requested) => {
            const resolved = path.posix.resolve('/home/alice', requested);
            sftp.name(reqid, [{ filename: resolved, longname: resolved, attrs: { mode: 0o40755, uid: 0, gid: 0, size: 0, atime: 0, mtime: 0 } }]);
          });
          sftp.on('STAT', (reqid) => sftp.attrs(reqid, { mode: 0o40755, uid: 0, gid: 0, size: 0, atime: 0, mtime: 0 }));
          sftp.on('OPENDIR', (reqid) => sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED));
        });
      });
    });
  });
  const port = await listening(server as unknown as net.Server);
  return { port, close: () => closing(server as unknown as net.Server) };
}

export async function startS3Server(bucket: string): Promise<TestServer> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = (await server.run()) as net.AddressInfo;
  return { port, close: () => server.close() };
}

export const DOVECOT = '/usr/sbin/dovecot';

/** Dovecot with one passwd-file user, plain-text login on a loopback port; no TLS. */
export async function startDovecot(): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-imap-'));
  fs.chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, sub));
  fs.chmodSync(path.join(dir, 'mail'), 0o777);
  fs.writeFileSync(path.join(dir, 'passwd'), `${USER}:{PLAIN}${PASSWORD}\n`);
  const port = await closedPort();
  fs.writeFileSync(path.join(dir, 'dovecot.conf'), `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 1
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=${dir}/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`);
  const child = spawn(DOVECOT, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null) throw new Error(`dovecot exited at start-up: ${fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
