// A converted webhook -> filter -> email zap (examples/zapier/large-order-alert.json)
// runs through the real engine: trigger data that passes the filter delivers the email
// to a real SMTP server, data that does not sends nothing and logs why.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSmtpTransports } from '../../server/actions/email/index.js';
import { importZapierExport } from '../../server/importers/zapier/index.js';
import { projectRoot } from '../../server/paths.js';
import { startBench, stepsByName, type Bench } from '../helpers/engine.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/servers/smtp.js';

let bench: Bench;
let smtp: TestSmtpServer;
let slug: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  // Connections are read from the process environment (KHAOSFLOW_CONNECTION_<NAME>);
  // each test file runs in its own process.
  process.env.KHAOSFLOW_CONNECTION_DEFAULT = smtp.url;
  bench = await startBench({ env: { KHAOSFLOW_CONNECTION_DEFAULT: smtp.url } });
  const file = path.join(projectRoot, 'examples', 'zapier', 'large-order-alert.json');
  const { workflows, report } = importZapierExport(fs.readFileSync(file, 'utf8'), { fileName: 'large-order-alert.json' });
  expect(report.totals).toMatchObject({ total: 3, converted: 3 });
  expect(workflows[0]!.enabled).toBe(true);
  ({ slug } = await bench.apply(workflows[0]!.yaml));
});

afterAll(async () => {
  // Pooled SMTP connections would keep the server's close() waiting.
  closeSmtpTransports();
  await smtp?.close();
  await bench?.stop();
});

describe('an imported webhook -> filter -> email zap', () => {
  it('sends nothing when the filter stops the run, and logs that it stopped', async () => {
    const run = await bench.waitFor(
      await bench.start(slug, { order: { id: 'A-2', total: 20 }, customer: { email: 'bob@example.com', name: 'Bob' }, priority: 'low' }),
    );
    expect(run.status).toBe('succeeded');
    const steps = stepsByName(run);
    expect(Object.keys(steps)).toEqual(expect.arrayContaining(['Only Large Or Urgent Orders', 'Only Large Or Urgent Orders Stopped']));
    expect(steps['Email The Customer']).toBeUndefined();
    expect(smtp.messages).toHaveLength(0);
  });

  it('delivers the email when the filter passes', async () => {
    const run = await bench.waitFor(
      await bench.start(slug, { order: { id: 'A-1', total: 250 }, customer: { email: 'ada@example.com', name: 'Ada' } }),
    );
    expect(run.status).toBe('succeeded');
    expect(stepsByName(run)['Email The Customer']?.status).toBe('succeeded');
    const [mail] = await smtp.waitForMessages(1);
    expect(smtp.messages).toHaveLength(1);
    expect(mail!.subject).toBe('Order A-1 received');
    expect(mail!.from?.value).toEqual([{ name: 'Order Desk', address: 'orders@example.com' }]);
    expect(mail!.to && !Array.isArray(mail!.to) ? mail!.to.text : '').toBe('ada@example.com');
    expect(mail!.text?.trim()).toBe('Thanks Ada, your order of 250 EUR is on its way.');
  });
});
