// Real servers on loopback ports for connection tests, each answering one known user
// (with a password that needs URL-encoding) and refusing others. The servers are the
// shared ones in test/helpers/servers; HTTP is local to these tests.
import http from 'node:http';
import net from 'node:net';
import { startFtpServer as startFtp } from './servers/ftp.js';
import { DOVECOT, startImapServer } from './servers/imap.js';
import { startS3Server as startS3 } from './servers/s3.js';
import { startSftpServer as startSftp } from './servers/sftp.js';
import { startSmtpServer as startSmtp } from './servers/smtp.js';

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
  return startSmtp({ user: USER, password: PASSWORD });
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
  return {
    port,
    close: () => {
      server.closeAllConnections();
      return closing(server);
    },
  };
}

export async function startFtpServer(): Promise<TestServer> {
  return startFtp({ user: USER, password: PASSWORD });
}

export async function startSftpServer(): Promise<TestServer> {
  return startSftp({ user: USER, password: PASSWORD });
}

export async function startS3Server(bucket: string): Promise<TestServer> {
  return startS3({ buckets: [bucket] });
}

export { DOVECOT };

/** Dovecot with one user, plain-text login on a loopback port; no TLS. */
export async function startDovecot(): Promise<TestServer> {
  return startImapServer({ user: USER, password: PASSWORD });
}
