// "Sample from the mailbox" for an email trigger: the newest message that passes the
// trigger's filter, shaped like the trigger's run data, read from a real dovecot without
// marking it seen; for a saved workflow or an unsaved draft; clear refusals for other
// triggers, unknown mailboxes and keys without write.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { saveConnection } from '../../server/connections/store.js';
import { staticConnectionResolver } from '../../server/connections/env.js';
import { MailboxSampleError, newestMailboxMessage } from '../../server/triggers/email/mailbox-sample.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { dovecotAvailable, startImapServer, type TestImapServer } from '../helpers/servers/imap.js';
import { applyYaml, tempDir } from '../triggers/helpers.js';

const available = dovecotAvailable();
if (!available)
  console.warn(
    'mailbox sample tests skipped: Debian dovecot-imapd is not installed (/usr/sbin/dovecot); apt-get install dovecot-imapd to run them.',
  );

interface SampleAnswer {
  sample?: { data: { subject: string; uid: number; mailbox: string; from: { address: string }; text: string; flags: string[] } } | null;
  error?: { code: string; message: string };
}

describe.skipIf(!available)('sample from the mailbox', () => {
  let tdb: TestDatabase;
  let imap: TestImapServer;
  let node: TestNode;
  let writer: string;
  let reader: string;
  let orderUid: number;

  beforeAll(async () => {
    [tdb, imap] = await Promise.all([createTestDatabase(), startImapServer()]);
    // No singletons: no watch runs, so the only session on the mailbox is the sample's.
    node = await startTestNode({
      databaseUrl: tdb.url,
      http: true,
      worker: false,
      singletons: false,
      env: { KHAOSFLOW_HOME: tempDir('kf-mailbox-sample-') },
    });
    await saveConnection(node.services.db, node.services.vault.secrets, { name: 'orders_inbox', url: imap.url });
    // A port nobody listens on: refused at once (saved before the first lookup: the node caches connections).
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const closedPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await saveConnection(node.services.db, node.services.vault.secrets, {
      name: 'dead_inbox',
      url: `imap://ada:hunter2-secret@127.0.0.1:${closedPort}`,
    });
    // Oldest first: the newest message does not match the filter, the one before it does.
    await imap.deliver({ from: 'Old <old@example.com>', subject: 'Order 1', text: 'older order' });
    orderUid = await imap.deliver({ from: 'Ada <ada@example.com>', subject: 'Order 2', text: 'newest order' });
    await imap.deliver({ from: 'News <news@example.com>', subject: 'Newsletter', text: 'not an order' });
    await applyYaml(
      tdb.db,
      'name: Order Mail\ntrigger: { type: email, connection: orders_inbox, filter: { subject: Order } }\nsteps:\n  - name: Note\n    action: { type: log, message: hi }\n',
    );
    await applyYaml(tdb.db, 'name: New Rows\ntrigger: { type: database, table: orders, event: INSERT }\n');
    writer = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
    reader = (await createApiKey(tdb.db, { scopes: ['read'] })).key;
  });
  afterAll(async () => {
    await node?.stop();
    await imap?.close();
    await tdb?.drop();
  });

  async function sample(slug: string, body?: unknown, key = writer) {
    const res = await fetch(`${node.baseUrl}/api/workflows/${slug}/mailbox-sample`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? '{}' : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as SampleAnswer };
  }

  async function unseen(): Promise<number[]> {
    const client = await imap.client();
    try {
      await client.mailboxOpen('INBOX', { readOnly: true });
      return ((await client.search({ seen: false }, { uid: true })) || []).sort((a, b) => a - b);
    } finally {
      await client.logout();
    }
  }

  it('answers the newest message that passes the filter, shaped like the run data, and leaves it unseen', async () => {
    const { status, body } = await sample('order-mail');
    expect(status).toBe(200);
    expect(body.sample?.data).toMatchObject({
      mailbox: 'INBOX',
      uid: orderUid,
      subject: 'Order 2',
      from: { address: 'ada@example.com', name: 'Ada' },
      to: [{ address: `${imap.user}@example.com` }],
      text: expect.stringMatching(/^newest order\s*$/), // a text-only part keeps its closing newline
      attachments: [],
    });
    expect(body.sample?.data.flags).not.toContain('\\Seen');
    expect((await unseen()).length).toBe(3);
    // The trigger's place in the mailbox is the watch's alone: the sample records none.
    const { rowCount } = await tdb.pool.query('select 1 from khaosflow.email_trigger_state');
    expect(rowCount).toBe(0);
  });

  it("uses an unsaved draft's trigger, and answers null when nothing matches", async () => {
    const draft = 'name: Order Mail\ntrigger: { type: email, connection: orders_inbox, filter: { from: news@example.com } }\n';
    expect((await sample('order-mail', { yaml: draft })).body.sample?.data.subject).toBe('Newsletter');
    const none = draft.replace('news@example.com', 'nobody@example.com');
    expect(await sample('order-mail', { yaml: none })).toEqual({ status: 200, body: { sample: null } });
  });

  it('refuses other triggers, unknown mailboxes and connections, and keys without write, saying what to do', async () => {
    const table = await sample('new-rows');
    expect(table.status).toBe(422);
    expect(table.body.error!.message).toBe(
      'Workflow "new-rows" has a database trigger; a sample from the mailbox is for email triggers only.',
    );

    const missing = await sample('order-mail', {
      yaml: 'name: Order Mail\ntrigger: { type: email, connection: orders_inbox, mailbox: Nowhere }\n',
    });
    expect(missing.status).toBe(422);
    expect(missing.body.error!.message).toMatch(/^Cannot open mailbox "Nowhere" of connection "orders_inbox": /);
    expect(missing.body.error!.message).not.toContain(imap.password);

    const noConnection = await sample('order-mail', { yaml: 'name: Order Mail\ntrigger: { type: email, connection: no_such_inbox }\n' });
    expect(noConnection.status).toBe(422);
    expect(noConnection.body.error!.message).toContain('no_such_inbox');

    expect((await sample('order-mail', undefined, reader)).status).toBe(403);
    expect((await sample('no-such-workflow')).status).toBe(404);
    expect((await unseen()).length).toBe(3);
  });

  it('says so when the mail server cannot be reached or does not answer in time, without the password', async () => {
    const dead = await sample('order-mail', { yaml: 'name: Order Mail\ntrigger: { type: email, connection: dead_inbox }\n' });
    expect(dead.status).toBe(422);
    expect(dead.body.error!.message).toMatch(/^Cannot reach the IMAP server of connection "dead_inbox"/);
    expect(dead.body.error!.message).not.toContain('hunter2-secret');

    // A server that accepts and never greets: the sample gives up at its deadline.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const connections = staticConnectionResolver([
        { name: 'silent_inbox', type: 'imap', url: `imap://ada:hunter2-secret@127.0.0.1:${port}`, options: {}, source: 'env' },
      ]);
      const late = newestMailboxMessage({ connections }, { connection: 'silent_inbox', mailbox: 'INBOX' }, { timeoutMs: 300 });
      await expect(late).rejects.toThrow(MailboxSampleError);
      await expect(late).rejects.toThrow('The IMAP server of connection "silent_inbox" did not answer within 0.3 s');
    } finally {
      silent.close();
    }
  });
});
