// The spec's "E-commerce Order Processing" (examples/workflows/order-processing.yaml),
// end to end through the real engine: inventory in KhaosFlow's own database (the
// example names no connection), the payment gateway a local HTTP server reached
// through the `payment_gateway_url` variable, the confirmation sent to a local SMTP
// server. Needs run_script, http_request and send_email from the other actions.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabasePools } from '../../../server/connectors/database-pools.js';
import { closeSmtpTransports } from '../../../server/actions/email/index.js';
import { startBench, stepsByName, type Bench } from '../../helpers/engine.js';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/servers/smtp.js';

const example = fs.readFileSync(new URL('../../../examples/workflows/order-processing.yaml', import.meta.url), 'utf8');

let bench: Bench;
let smtp: TestSmtpServer;
let gateway: http.Server;
const charges: Array<{ method: string; url: string }> = [];
const saved = { ...process.env };

beforeAll(async () => {
  gateway = http.createServer((req, res) => {
    charges.push({ method: req.method!, url: req.url! });
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ charged: true }));
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', () => resolve()));
  smtp = await startSmtpServer();
  // Connections and variables are read from the environment, as in production.
  process.env.KHAOSFLOW_CONNECTION_DEFAULT = `${smtp.url}?from=shop@example.com`;
  process.env.KHAOSFLOW_VAR_PAYMENT_GATEWAY_URL = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  bench = await startBench();
  await bench.tdb.pool.query('create table public.products (id int primary key, stock int not null)');
  await bench.tdb.pool.query('insert into public.products (id, stock) values (1, 5), (2, 1), (3, 0)');
  await bench.tdb.pool.query(
    `insert into khaosflow.email_templates (name, subject, html, text) values ('order_confirmation', 'Your order is confirmed', '<p>Thank you!</p>', 'Thank you!')`,
  );
});

afterAll(async () => {
  await bench?.stop();
  await closeDatabasePools();
  // Pooled SMTP connections would keep the test server's close() waiting.
  closeSmtpTransports();
  await smtp?.close();
  await new Promise<void>((resolve) => (gateway ? gateway.close(() => resolve()) : resolve()));
  process.env = saved;
});

describe('E-commerce Order Processing', () => {
  it('checks stock, charges the payment gateway, takes the items from inventory and confirms by email', async () => {
    const { slug } = await bench.apply(example);
    const runId = await bench.start(slug, {
      customer_email: 'buyer@example.com',
      items: [
        { product_id: 1, price: 10 },
        { product_id: 2, price: 5 },
      ],
    });
    const run = await bench.waitFor(runId);
    const steps = stepsByName(run);
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');

    const inventory = steps['Check Inventory']!;
    expect(inventory.output).toEqual({
      rows: expect.arrayContaining([
        { id: 1, stock: 5 },
        { id: 2, stock: 1 },
      ]),
      row_count: 2,
    });
    expect(JSON.stringify(inventory.logs)).toContain("KhaosFlow's own database");

    expect(charges).toEqual([{ method: 'POST', url: '/charge' }]);
    expect(steps['Update Inventory']!.output).toEqual({ rows: [], row_count: 2 });
    const { rows } = await bench.tdb.pool.query('select id, stock from public.products order by id');
    expect(rows).toEqual([
      { id: 1, stock: 4 },
      { id: 2, stock: 0 },
      { id: 3, stock: 0 },
    ]);

    const [mail] = await smtp.waitForMessages(1);
    expect(mail!.subject).toBe('Your order is confirmed');
    expect(mail!.to).toMatchObject({ text: 'buyer@example.com' });
  });
});
