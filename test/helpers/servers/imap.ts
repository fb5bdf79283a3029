// A private dovecot (Debian dovecot-imapd) for IMAP tests: its own configuration in a
// temporary folder, one passwd-file user, maildir storage, plain-text login on a
// loopback port. Mail is delivered with IMAP APPEND, as a mail server would put it
// in the mailbox (and so that IDLE sessions hear about it).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';

export const DOVECOT = '/usr/sbin/dovecot';

/** True when dovecot is installed; throws under CI=true, where every test must run. */
export function dovecotAvailable(): boolean {
  const installed = fs.existsSync(DOVECOT);
  if (!installed && process.env.CI === 'true')
    throw new Error(`CI=true but dovecot is missing at ${DOVECOT}; .ci/run installs dovecot-imapd.`);
  return installed;
}

export interface OutgoingTestMail {
  from?: string;
  to?: string;
  subject: string;
  text?: string;
  html?: string;
  attachments?: Array<{ filename: string; content: string; contentType?: string }>;
}

export interface TestImapServer {
  port: number;
  user: string;
  password: string;
  /** imap://user:password@127.0.0.1:<port> - use as a connection URL. */
  url: string;
  /** Puts a message into `mailbox` (default INBOX); resolves with its UID. */
  deliver(mail: OutgoingTestMail, mailbox?: string): Promise<number>;
  /** A logged-in client for checks (flags, other mailboxes); the caller logs out. */
  client(): Promise<ImapFlow>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function configuration(dir: string, port: number): string {
  // Mail processes run as the dovecot user (dovecot refuses root), hence the open mail folder.
  return `
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
`;
}

async function waitForPort(port: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return;
    if (child.exitCode !== null)
      throw new Error(`dovecot exited at start-up: ${fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '(no log)'}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`dovecot did not listen on 127.0.0.1:${port} within 15 s`);
}

export async function startImapServer(opts: { user?: string; password?: string } = {}): Promise<TestImapServer> {
  const user = opts.user ?? 'reader';
  const password = opts.password ?? 'imap-secret';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-dovecot-'));
  fs.chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, sub));
  fs.chmodSync(path.join(dir, 'mail'), 0o777);
  fs.writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`);
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'dovecot.conf'), configuration(dir, port));
  const child = spawn(DOVECOT, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  await waitForPort(port, child, path.join(dir, 'dovecot.log'));

  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const client = async () => {
    const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };
  return {
    port,
    user,
    password,
    url: `imap://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    client,
    async deliver(mail, mailbox = 'INBOX') {
      const info = await composer.sendMail({ from: mail.from ?? 'sender@example.com', to: mail.to ?? `${user}@example.com`, ...mail });
      const c = await client();
      try {
        const appended = await c.append(mailbox, info.message as Buffer);
        // biome-ignore lint/complexity/useOptionalChain: APPEND answers false on failure, which ?. would not narrow away
        if (!appended || !appended.uid) throw new Error(`APPEND to ${mailbox} returned no UID`);
        return appended.uid;
      } finally {
        await c.logout();
      }
    },
    async close() {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
