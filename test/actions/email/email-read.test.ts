import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveConnection } from '../../../server/connections/store.js';
import { startBench, type Bench } from '../../helpers/engine.js';
import { dovecotAvailable, startImapServer, type TestImapServer } from '../../helpers/servers/imap.js';
import { errorOf, runAction } from '../http/step.js';

const available = dovecotAvailable();
if (!available)
  console.warn(
    'email_read tests skipped: Debian dovecot-imapd is not installed (/usr/sbin/dovecot); apt-get install dovecot-imapd to run them.',
  );

interface Output {
  mailbox: string;
  count: number;
  messages: Array<{
    uid: number;
    subject: string;
    from: { address: string; name: string };
    text: string;
    html: string | null;
    attachments: unknown[];
    flags: string[];
  }>;
}

describe.skipIf(!available)('email_read against dovecot', () => {
  let bench: Bench;
  let imap: TestImapServer;
  beforeAll(async () => {
    [bench, imap] = await Promise.all([startBench(), startImapServer()]);
    await saveConnection(bench.services.db, bench.services.vault.secrets, { name: 'inbox', url: imap.url });
    bench.services.vault.connections.invalidate();
    await imap.deliver({
      from: 'Ada <ada@example.com>',
      subject: 'Invoice 1',
      text: 'first',
      attachments: [{ filename: 'invoice.pdf', content: 'PDF', contentType: 'application/pdf' }],
    });
    await imap.deliver({ from: 'bob@example.com', subject: 'Lunch?', text: 'second', html: '<p>second</p>' });
    await imap.deliver({ from: 'Ada <ada@example.com>', subject: 'Invoice 2', text: 'third' });
  });
  afterAll(async () => {
    await imap?.close();
    await bench?.stop();
  });

  it('reads parsed messages with their attachments described', async () => {
    const { run, last } = await runAction(
      bench,
      `
type: email_read
connection: inbox`,
    );
    expect(run.status).toBe('succeeded');
    const out = last.output as Output;
    expect(out.count).toBe(3);
    expect(out.messages.map((m) => m.subject)).toEqual(['Invoice 1', 'Lunch?', 'Invoice 2']);
    expect(out.messages[0]).toMatchObject({
      from: { name: 'Ada', address: 'ada@example.com' },
      text: 'first',
      attachments: [{ filename: 'invoice.pdf', content_type: 'application/pdf', size: 3 }],
    });
    expect(out.messages[1]!.html).toBe('<p>second</p>');
  });

  it('searches by sender and subject, newest first within the limit', async () => {
    const bySender = await runAction(
      bench,
      `
type: email_read
connection: inbox
filter: { from: ada@example.com }`,
    );
    expect((bySender.last.output as Output).messages.map((m) => m.subject)).toEqual(['Invoice 1', 'Invoice 2']);
    const bySubject = await runAction(
      bench,
      `
type: email_read
connection: inbox
filter: { subject: Lunch }`,
    );
    expect((bySubject.last.output as Output).messages.map((m) => m.subject)).toEqual(['Lunch?']);
    const newest = await runAction(
      bench,
      `
type: email_read
connection: inbox
limit: 1`,
    );
    expect((newest.last.output as Output).messages.map((m) => m.subject)).toEqual(['Invoice 2']);
    const future = await runAction(
      bench,
      `
type: email_read
connection: inbox
filter: { since: "2999-01-01" }`,
    );
    expect((future.last.output as Output).count).toBe(0);
  });

  it('marks what it read as seen, so unseen finds only new mail', async () => {
    const first = await runAction(
      bench,
      `
type: email_read
connection: inbox
filter: { unseen: true, from: ada@example.com }
mark_seen: true`,
    );
    expect((first.last.output as Output).count).toBe(2);
    const second = await runAction(
      bench,
      `
type: email_read
connection: inbox
filter: { unseen: true }`,
    );
    expect((second.last.output as Output).messages.map((m) => m.subject)).toEqual(['Lunch?']);
  });

  it('moves what it read to another mailbox', async () => {
    const client = await imap.client();
    await client.mailboxCreate('Archive');
    await client.logout();
    await imap.deliver({ subject: 'Move me', text: 'x' });
    const moved = await runAction(
      bench,
      `
type: email_read
connection: inbox
filter: { subject: Move me }
move_to: Archive`,
    );
    expect((moved.last.output as Output).count).toBe(1);
    const left = await runAction(
      bench,
      `
type: email_read
connection: inbox
filter: { subject: Move me }`,
    );
    expect((left.last.output as Output).count).toBe(0);
    const archived = await runAction(
      bench,
      `
type: email_read
connection: inbox
mailbox: Archive`,
    );
    expect((archived.last.output as Output).messages.map((m) => m.subject)).toEqual(['Move me']);
  });

  it('fails without retries on a missing mailbox or a wrong password', async () => {
    const missing = await runAction(
      bench,
      `
type: email_read
connection: inbox
mailbox: Nowhere
retry: { attempts: 2, delay: 10ms }`,
    );
    expect(missing.attempts).toHaveLength(1);
    expect(errorOf(missing.last).message).toMatch(/^Cannot open mailbox "Nowhere"/);
    // Last: dovecot slows down logins from an address after a failed one.
    await saveConnection(bench.services.db, bench.services.vault.secrets, {
      name: 'wrong',
      url: imap.url.replace(encodeURIComponent(imap.password), 'nope'),
    });
    bench.services.vault.connections.invalidate();
    const login = await runAction(
      bench,
      `
type: email_read
connection: wrong
retry: { attempts: 2, delay: 10ms }`,
    );
    expect(login.attempts).toHaveLength(1);
    expect(errorOf(login.last).message).toMatch(/^The IMAP server of connection "wrong" refused the login/);
  });
});
