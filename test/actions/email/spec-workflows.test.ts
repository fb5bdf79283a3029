// The spec's workflows that combine email with other actions, run as written against
// local servers: Customer Onboarding (webhook -> database_insert -> send_email ->
// http_request) and the error-handling alerts (send_email + log + webhook).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSmtpTransports } from '../../../server/actions/email/index.js';
import { saveConnection } from '../../../server/connections/store.js';
import { createEmailTemplateStore, templatesDir } from '../../../server/email-templates/store.js';
import { projectRoot } from '../../../server/paths.js';
import { startBench, stepsByName, type Bench } from '../../helpers/engine.js';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/servers/smtp.js';
import { json, startHttpServer, type TestHttpServer } from '../http/http-server.js';

let bench: Bench;
let smtp: TestSmtpServer;
let khaosbase: TestHttpServer;
const savedVar = process.env.KHAOSFLOW_VAR_KHAOSBASE_URL;
const example = (file: string) => fs.readFileSync(path.join(projectRoot, 'examples', file), 'utf8');

beforeAll(async () => {
  [smtp, khaosbase] = await Promise.all([startSmtpServer(), startHttpServer()]);
  // The spec's {{khaosbase_url}}: a variable from the environment, read when the node starts.
  process.env.KHAOSFLOW_VAR_KHAOSBASE_URL = khaosbase.url;
  bench = await startBench({ http: true });
  await saveConnection(bench.services.db, bench.services.vault.secrets, {
    name: 'default',
    url: `${smtp.url}?from=welcome%40khaosflow.example`,
  });
  bench.services.vault.connections.invalidate();
  await createEmailTemplateStore(bench.services.db, { dir: templatesDir(bench.services.config.home) }).set({
    name: 'welcome',
    subject: 'Welcome aboard, {{name}}!',
    html: '<p>Hello {{name}}, {{account_manager}} will be in touch.</p>',
    text: 'Hello {{name}}, {{account_manager}} will be in touch.',
  });
  await bench.tdb.pool.query('create table customers (id serial primary key, name text, email text, account_manager text)');
  khaosbase.route('POST', '/api/tasks', (req, res) => json(res, 201, { id: 'task-1', ...JSON.parse(req.body.toString()) }));
});
afterAll(async () => {
  if (savedVar === undefined) delete process.env.KHAOSFLOW_VAR_KHAOSBASE_URL;
  else process.env.KHAOSFLOW_VAR_KHAOSBASE_URL = savedVar;
  closeSmtpTransports();
  await Promise.all([smtp?.close(), khaosbase?.close()]);
  await bench?.stop();
});

describe('spec workflows with email', () => {
  it('runs Customer Onboarding from its webhook to the sales task', async () => {
    await bench.apply(example('workflows/customer-onboarding.yaml'));
    const response = await fetch(`${bench.node.baseUrl}/hooks/customers/new`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada Lovelace', email: 'ada@example.com', account_manager: 'Grace' }),
    });
    expect(response.status).toBe(202);
    const { run_id } = (await response.json()) as { run_id: string };
    const run = await bench.waitFor(run_id);
    expect(run.status).toBe('succeeded');

    const { rows } = await bench.tdb.pool.query('select name, email, account_manager from customers');
    expect(rows).toEqual([{ name: 'Ada Lovelace', email: 'ada@example.com', account_manager: 'Grace' }]);

    const [mail] = await smtp.waitForMessages(1);
    expect(mail!.subject).toBe('Welcome aboard, Ada Lovelace!');
    expect(mail!.html).toBe('<p>Hello Ada Lovelace, Grace will be in touch.</p>');
    expect(mail!.to && !Array.isArray(mail!.to) ? mail!.to.value[0]!.address : null).toBe('ada@example.com');

    expect(JSON.parse(khaosbase.to('/api/tasks')[0]!.body.toString())).toEqual({ title: 'Onboard Ada Lovelace', assigned_to: 'Grace' });
    expect(stepsByName(run)['Create Task for Sales']!.output).toMatchObject({ status: 201, body: { id: 'task-1' } });
  });

  it('sends the spec error-handling alerts: email to the admin, log line and monitoring webhook', async () => {
    khaosbase.route('POST', '/alerts', (_req, res) => json(res, 200, { ok: true }));
    const handling = example('logic/error-handling.yaml').replace('https://monitoring.example.com/alerts', `${khaosbase.url}/alerts`);
    const yaml = handling.replace(
      'workflow:\n',
      `workflow:\n  name: Nightly Import\n  trigger: { type: manual }\n  steps:\n    - name: Fetch Feed\n      action: { type: http_request, url: "${khaosbase.url}/missing-feed" }\n`,
    );
    const { slug } = await bench.apply(yaml);
    const before = smtp.messages.length;
    const run = await bench.waitFor(await bench.start(slug));
    expect(run.status).toBe('failed');

    const [alert] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(alert!.subject).toBe('Workflow Failed: Nightly Import');
    expect(alert!.to && !Array.isArray(alert!.to) ? alert!.to.value[0]!.address : null).toBe('admin@example.com');
    const steps = stepsByName(run);
    expect(steps['on_failure: log']!.output).toMatchObject({
      level: 'error',
      message: expect.stringContaining('/missing-feed answered 404 Not Found'),
    });
    expect(JSON.parse(khaosbase.to('/alerts').at(-1)!.body.toString())).toMatchObject({
      workflow: 'Nightly Import',
      run_id: run.id,
      error: { step: 'Fetch Feed' },
    });
  });
});
