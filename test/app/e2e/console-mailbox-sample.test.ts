// "Sample from the mailbox" in the editor's test panel: for an email trigger, the newest
// message that passes the trigger's filter fills the sample data (read from a real
// dovecot), and a test run with it uses the message's fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveConnection } from '../../../server/connections/store.js';
import { createUser } from '../../../server/console-auth/users.js';
import { browserSkipReason, launchBrowser, logIn, screenshotPath, waitForHydration } from '../../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { dovecotAvailable, startImapServer, type TestImapServer } from '../../helpers/servers/imap.js';
import { applyYaml } from '../../triggers/helpers.js';

const skip = browserSkipReason() ?? (dovecotAvailable() ? null : 'mailbox sample e2e skipped: dovecot-imapd is not installed');
if (skip) console.warn(skip);

describe.skipIf(skip)("the test panel's sample from the mailbox", () => {
  let tdb: TestDatabase;
  let imap: TestImapServer;
  let node: TestNode;

  beforeAll(async () => {
    [tdb, imap] = await Promise.all([createTestDatabase(), startImapServer()]);
    node = await startTestNode({ databaseUrl: tdb.url, singletons: false });
    await createUser(tdb.db, { email: 'ed@example.com', name: 'Ed', password: 'editor-password', role: 'editor' });
    await saveConnection(node.services.db, node.services.vault.secrets, { name: 'orders_inbox', url: imap.url });
    await imap.deliver({ from: 'Ada <ada@example.com>', subject: 'Order 7', text: 'two pots of tea' });
    await imap.deliver({ from: 'News <news@example.com>', subject: 'Newsletter', text: 'not an order' });
    await applyYaml(
      tdb.db,
      `name: Order Mail
trigger: { type: email, connection: orders_inbox, filter: { subject: Order } }
steps:
  - name: Note
    action: { type: log, message: "mail from {{trigger.data.from.address}}: {{trigger.data.subject}}" }
`,
    );
  });
  afterAll(async () => {
    await node?.stop();
    await imap?.close();
    await tdb?.drop();
  });

  it('fills the sample with the newest matching message and runs the test with it', async () => {
    const browser = await launchBrowser();
    const page = await browser.context.newPage();
    try {
      await logIn(page, node.baseUrl, 'ed@example.com', 'editor-password');
      await page.goto(`${node.baseUrl}/workflows/order-mail`);
      await waitForHydration(page);
      const test = page.getByRole('region', { name: 'Test' });
      await test.getByRole('button', { name: 'Sample from the mailbox' }).click();
      await expect.poll(async () => test.getByLabel(/Sample trigger data/).inputValue()).toContain('"subject": "Order 7"');
      await page.screenshot({ path: screenshotPath('console-editor-mailbox-sample'), fullPage: true });
      await test.getByRole('button', { name: 'Run test' }).click();
      const note = test.getByRole('list', { name: 'Test steps' }).getByRole('listitem', { name: 'Note' });
      await note.getByText('succeeded').waitFor();
      await note.getByText('Input, output, logs').click();
      expect(await note.getByRole('group', { name: 'Output' }).innerText()).toContain('mail from ada@example.com: Order 7');
    } catch (err) {
      await page.screenshot({ path: screenshotPath('console-editor-mailbox-sample-failure'), fullPage: true });
      throw err;
    } finally {
      await browser.close();
    }
  }, 180_000);
});
