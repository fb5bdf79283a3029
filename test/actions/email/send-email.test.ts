import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSmtpTransports } from '../../../server/actions/email/index.js';
import { saveConnection } from '../../../server/connections/store.js';
import { createEmailTemplateStore, templatesDir } from '../../../server/email-templates/store.js';
import { projectRoot } from '../../../server/paths.js';
import { startBench, type Bench } from '../../helpers/engine.js';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/servers/smtp.js';
import { errorOf, runAction } from '../http/step.js';

let bench: Bench;
let smtp: TestSmtpServer;

async function useSmtp(name: string, url: string): Promise<void> {
  await saveConnection(bench.services.db, bench.services.vault.secrets, { name, url });
  bench.services.vault.connections.invalidate();
}

beforeAll(async () => {
  [bench, smtp] = await Promise.all([startBench(), startSmtpServer()]);
  await useSmtp('default', `${smtp.url}?from=${encodeURIComponent('KhaosFlow <flows@example.com>')}`);
  const templates = createEmailTemplateStore(bench.services.db, { dir: templatesDir(bench.services.config.home) });
  await templates.set({
    name: 'order_confirmation',
    subject: 'Your order {{order_number}}',
    html: '<h1>Thank you, {{trigger.data.customer_name}}</h1><p>Order {{order_number}}: {{total}} EUR</p>',
    text: 'Order {{order_number}}: {{total}} EUR',
  });
});
afterAll(async () => {
  closeSmtpTransports();
  await smtp?.close();
  await bench?.stop();
});

describe('send_email', () => {
  it('runs the spec example: template rendered with data, subject from the step', async () => {
    const spec = fs.readFileSync(path.join(projectRoot, 'examples/actions/send-email.yaml'), 'utf8');
    const { slug } = await bench.apply(`name: Spec Send Email\n${spec}`);
    const before = smtp.messages.length;
    const run = await bench.waitFor(
      await bench.start(slug, { customer_email: 'ada@example.com', order_id: 1042, total: 99.5, customer_name: 'Ada <script>' }),
    );
    expect(run.status).toBe('succeeded');
    const [mail] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(mail!.subject).toBe('Order Confirmation #1042');
    expect(mail!.from?.value).toEqual([{ name: 'KhaosFlow', address: 'flows@example.com' }]);
    expect(mail!.to && !Array.isArray(mail!.to) ? mail!.to.text : '').toBe('ada@example.com');
    expect(mail!.html).toBe('<h1>Thank you, Ada &lt;script&gt;</h1><p>Order 1042: 99.5 EUR</p>');
    expect(mail!.text?.trim()).toBe('Order 1042: 99.5 EUR');
    expect(run.steps[0]!.output).toMatchObject({ accepted: ['ada@example.com'], rejected: [], message_id: mail!.messageId });
  });

  it('attaches a file and content from step data', async () => {
    // $KHAOSFLOW_HOME/files is the default file root (the OS temp folder is not).
    const fileRoot = path.join(bench.services.config.home, 'files');
    fs.mkdirSync(fileRoot, { recursive: true });
    const dir = fs.mkdtempSync(path.join(fileRoot, 'kf-attach-'));
    const file = path.join(dir, 'invoice.csv');
    fs.writeFileSync(file, 'item,price\nlamp,20\n');
    const before = smtp.messages.length;
    const { run } = await runAction(
      bench,
      `
type: send_email
to: [a@example.com, b@example.com]
cc: c@example.com
subject: "Report for {{trigger.data.month}}"
template: order_confirmation
data: { order_number: 7, total: 20 }
attachments:
  - { filename: invoice.csv, path: ${file}, content_type: text/csv }
  - { filename: summary.json, content: "{{trigger.data.summary}}" }`,
      { month: 'May', summary: { orders: 3 } },
    );
    expect(run.status).toBe('succeeded');
    const [mail] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(mail!.subject).toBe('Report for May');
    expect(mail!.html).toContain('Order 7: 20 EUR');
    const files = Object.fromEntries(mail!.attachments.map((a) => [a.filename, { type: a.contentType, text: a.content.toString() }]));
    expect(files).toEqual({
      'invoice.csv': { type: 'text/csv', text: 'item,price\nlamp,20\n' },
      'summary.json': { type: 'application/json', text: '{\n  "orders": 3\n}' },
    });
    fs.rmSync(dir, { recursive: true });
  });

  it('sends inline text and html, escaping values in the html', async () => {
    const before = smtp.messages.length;
    const { run } = await runAction(
      bench,
      `
type: send_email
to: "{{trigger.data.email}}"
from: alerts@example.com
reply_to: help@example.com
subject: "Hello {{trigger.data.name}}"
text: "Hi {{trigger.data.name}}"
html: "<p>Hi {{trigger.data.name}}</p>"`,
      { email: 'bob@example.com', name: 'Bob <b>' },
    );
    expect(run.status).toBe('succeeded');
    const [mail] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(mail!.from?.text).toBe('alerts@example.com');
    expect(mail!.replyTo?.text).toBe('help@example.com');
    expect(mail!.text?.trim()).toBe('Hi Bob <b>');
    expect(mail!.html).toBe('<p>Hi Bob &lt;b&gt;</p>');
  });

  it('fails at once, naming a missing template and how to create it', async () => {
    const { run, attempts, last } = await runAction(
      bench,
      `
type: send_email
to: a@example.com
template: no_such_template
retry: { attempts: 3, delay: 10ms }`,
    );
    expect(run.status).toBe('failed');
    expect(attempts).toHaveLength(1);
    expect(errorOf(last)).toMatchObject({ name: 'NonRetryableError' });
    expect(errorOf(last).message).toMatch(
      /^Email template "no_such_template" does not exist\. Create it with `khaosflow templates set no_such_template/,
    );
  });

  it('uses the new credentials when a connection changes, and does not retry a refused login', async () => {
    await useSmtp('ops_mail', smtp.url);
    const ok = await runAction(
      bench,
      `
type: send_email
smtp: ops_mail
from: ops@example.com
to: a@example.com
subject: first`,
    );
    expect(ok.run.status).toBe('succeeded');
    await useSmtp('ops_mail', smtp.url.replace(':mail-secret@', ':wrong-password@'));
    const refused = await runAction(
      bench,
      `
type: send_email
smtp: ops_mail
from: ops@example.com
to: a@example.com
subject: second
retry: { attempts: 3, delay: 10ms }`,
    );
    expect(refused.run.status).toBe('failed');
    expect(refused.attempts).toHaveLength(1);
    expect(errorOf(refused.last).message).toMatch(/^The SMTP server of connection "ops_mail" refused the login/);
    expect(JSON.stringify(refused.last)).not.toContain('wrong-password');
  });

  it('names the connection to create when there is none', async () => {
    const { last } = await runAction(
      bench,
      `
type: send_email
smtp: nowhere
to: a@example.com
subject: x`,
    );
    expect(errorOf(last).message).toMatch(/No smtp connection named "nowhere"/);
  });
});
