import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyWorkflow } from '../../../db/queries/workflow-store.js';
import { saveConnection } from '../../../server/connections/store.js';
import { parseWorkflow } from '../../../server/workflow/index.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { dovecotAvailable, startImapServer, type TestImapServer } from '../../helpers/servers/imap.js';

const available = dovecotAvailable();
if (!available)
  console.warn(
    'email trigger tests skipped: Debian dovecot-imapd is not installed (/usr/sbin/dovecot); apt-get install dovecot-imapd to run them.',
  );

interface RunRow {
  id: string;
  status: string;
  dedupe_key: string;
  trigger_data: {
    data: {
      subject: string;
      uid: number;
      from: { address: string };
      to: Array<{ address: string }>;
      text: string;
      html: string | null;
      date: string;
      attachments: unknown[];
    };
  };
}

describe.skipIf(!available)('email trigger against dovecot', () => {
  let tdb: TestDatabase;
  let imap: TestImapServer;
  let node: TestNode | null = null;

  const startNode = () => startTestNode({ databaseUrl: tdb.url, http: false, worker: true, singletons: true });
  const runsOf = async (slug: string) =>
    (
      await tdb.pool.query<RunRow>(
        `select r.id, r.status, r.dedupe_key, r.trigger_data from khaosflow.runs r join khaosflow.workflows w on w.id = r.workflow_id
        where w.slug = $1 order by r.created_at, r.id`,
        [slug],
      )
    ).rows;
  const watching = async (slug: string) =>
    (
      await tdb.pool.query(
        'select 1 from khaosflow.email_trigger_state s join khaosflow.workflows w on w.id = s.workflow_id where w.slug = $1',
        [slug],
      )
    ).rowCount === 1;
  async function apply(yaml: string): Promise<void> {
    const parsed = parseWorkflow(yaml, { file: 'email.yaml' });
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
    await applyWorkflow(node!.services.db, { definition: parsed.workflow, source: yaml });
  }

  beforeAll(async () => {
    [tdb, imap] = await Promise.all([createTestDatabase(), startImapServer()]);
    node = await startNode();
    await saveConnection(node.services.db, node.services.vault.secrets, { name: 'support_inbox', url: imap.url });
  });
  afterAll(async () => {
    await node?.stop();
    await imap?.close();
    await tdb?.drop();
  });

  it('starts one run per new message, including mail that arrived while KhaosFlow was stopped', async () => {
    await apply(`
name: Support Mail
trigger:
  type: email
  connection: support_inbox
  poll_interval: 200ms
steps:
  - name: Note
    action: { type: log, message: "{{trigger.data.from.address}}: {{trigger.data.subject}}" }
`);
    // A new watch starts at the mailbox's end; mail from before that is not new.
    await expect.poll(() => watching('support-mail'), { timeout: 15_000 }).toBe(true);

    await imap.deliver({
      from: 'Ada <ada@example.com>',
      subject: 'one',
      text: 'first',
      html: '<p>first</p>',
      attachments: [{ filename: 'a.txt', content: 'abc' }],
    });
    await expect.poll(async () => (await runsOf('support-mail')).map((r) => r.status), { timeout: 15_000 }).toEqual(['succeeded']);

    await node!.stop();
    node = null;
    const second = await imap.deliver({ subject: 'two', text: 'second' });
    await imap.deliver({ subject: 'three', text: 'third' });

    node = await startNode();
    await expect
      .poll(async () => (await runsOf('support-mail')).map((r) => r.trigger_data.data.subject), { timeout: 20_000 })
      .toEqual(['one', 'two', 'three']);
    await imap.deliver({ subject: 'four', text: 'fourth' });
    await expect
      .poll(async () => (await runsOf('support-mail')).map((r) => r.trigger_data.data.subject), { timeout: 15_000 })
      .toEqual(['one', 'two', 'three', 'four']);

    const runs = await runsOf('support-mail');
    expect(new Set(runs.map((r) => r.dedupe_key)).size).toBe(4);
    expect(runs[1]!.dedupe_key).toMatch(new RegExp(`^INBOX:\\d+:${second}$`));
    expect(runs[0]!.trigger_data.data).toMatchObject({
      subject: 'one',
      from: { address: 'ada@example.com', name: 'Ada' },
      to: [{ address: `${imap.user}@example.com` }],
      text: 'first',
      html: '<p>first</p>',
      attachments: [{ filename: 'a.txt', content_type: 'text/plain', size: 3 }],
    });
    expect(Date.parse(runs[0]!.trigger_data.data.date)).not.toBeNaN();

    // mark_seen defaults to true: handled messages are flagged \Seen.
    const client = await imap.client();
    await client.mailboxOpen('INBOX');
    expect(await client.search({ seen: false }, { uid: true })).toEqual([]);
    await client.logout();
  });

  it('hears of new mail through IDLE and passes over messages its filter does not match', async () => {
    await apply(`
name: Orders Mail
trigger:
  type: email
  connection: support_inbox
  filter: { subject: Order }
  mark_seen: false
steps:
  - name: Note
    action: { type: log, message: "{{trigger.data.subject}}" }
`);
    await expect.poll(() => watching('orders-mail'), { timeout: 15_000 }).toBe(true);
    await imap.deliver({ subject: 'Newsletter', text: 'skip me' });
    await imap.deliver({ subject: 'Order 17', text: 'take me' });
    // No poll_interval: the 30 s sweep is too slow for this deadline, IDLE must tell.
    await expect
      .poll(async () => (await runsOf('orders-mail')).map((r) => r.trigger_data.data.subject), { timeout: 10_000 })
      .toEqual(['Order 17']);
  });
});
