// The container's runtime, built without Docker (no Docker engine can run here): the
// image's unprivileged user (uid/gid 1000, `node` in node:20-bookworm-slim; dropped to
// with setpriv when the test runs as root), a /data-like home owned by that user, the
// compose services' commands and environment, the image's HEALTHCHECK command - and in
// it the spec's three example workflows end to end against local servers: Customer
// Onboarding (webhook -> own database, SMTP, HTTP), E-commerce Order Processing
// (webhook -> sandboxed script, own database, payment gateway, SMTP) and Daily Database
// Backup (sandboxed pg_dump and gzip -> S3 -> SMTP). The Dockerfile and compose file
// are read here, so the test follows them.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createApiKey } from '../../server/api-keys/store.js';
import { closeS3Clients, s3ClientFor } from '../../server/connectors/s3-clients.js';
import { projectRoot } from '../../server/paths.js';
import { json, startHttpServer, type TestHttpServer } from '../actions/http/http-server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startS3Server, type TestS3Server } from '../helpers/servers/s3.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/servers/smtp.js';

const IMAGE_UID = 1000;
const dockerfile = fs.readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8');
const compose = parseYaml(fs.readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { command: string | string[]; environment: Record<string, string>; security_opt?: string[]; image?: string }>;
};
const example = (file: string) => fs.readFileSync(path.join(projectRoot, 'examples', 'workflows', file), 'utf8');
/** Where the backup example's `pg_dump -h localhost -U postgres khaosbase` connects. */
const MACHINE_POSTGRES = 'postgres://postgres@localhost:5432/postgres';

/** Why this test cannot run here, or null. */
function skipReason(): string | null {
  if (!fs.existsSync(path.join(projectRoot, 'dist', 'server', 'cli.js')))
    return 'the build is missing (dist/): run `npm run build` first, as the image does';
  const uid = process.getuid?.();
  if (uid === 0 && !fs.existsSync('/usr/bin/setpriv')) return 'running as root without setpriv (util-linux) to drop to the image user';
  for (const tool of ['bwrap', 'pg_dump', 'gzip']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (the image installs it)`;
    }
  }
  return null;
}
const skip = skipReason();
if (skip) {
  if (process.env.CI === 'true') throw new Error(`The container runtime test cannot run: ${skip}.`);
  console.warn(`The container runtime test is SKIPPED: ${skip}.`);
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** The compose service's command as argv. */
const argv = (service: string) => {
  const command = compose.services[service]!.command;
  return Array.isArray(command) ? command : command.split(' ');
};

/** The image's HEALTHCHECK CMD (exec form) as argv. */
const healthcheck = () => JSON.parse(/HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(dockerfile)![1]!) as string[];

/** Runs argv as the image's user with exactly `env`, from the project folder (the image's /app). */
function asImageUser(args: string[], env: Record<string, string>): ChildProcess {
  const drop = process.getuid?.() === 0 ? ['setpriv', `--reuid=${IMAGE_UID}`, `--regid=${IMAGE_UID}`, '--clear-groups', '--'] : [];
  const [file, ...rest] = [...drop, ...args];
  return spawn(file!, rest, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

let tdb: TestDatabase;
let data: string;
let smtp: TestSmtpServer;
let s3: TestS3Server;
let outside: TestHttpServer;
let machine: pg.Client;
const processes: Array<{ child: ChildProcess; output: string[] }> = [];
let baseUrl: string;
let workerMetricsPort: number;
let image: Record<string, string>;
let operator: Record<string, string>;
let key: string;

/**
 * A compose service's environment as compose would pass it (`${VAR:-default}` with
 * the default: the test's own environment stays out), over the image's, with the
 * test's database in place of the compose `postgres` service.
 */
function environmentOf(service: string): Record<string, string> {
  const declared = Object.entries(compose.services[service]!.environment).map(([name, value]) => [
    name,
    String(value).replace(/\$\{\w+:-([^}]*)\}/g, '$1'),
  ]);
  return { ...image, ...Object.fromEntries(declared), DATABASE_URL: tdb.url, ...operator };
}

function launch(service: string, args: string[]): { child: ChildProcess; output: string[] } {
  const child = asImageUser([process.execPath, 'bin/khaosflow.js', ...args], environmentOf(service));
  const output: string[] = [];
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  const entry = { child, output };
  processes.push(entry);
  return entry;
}

/** Polls until `check` holds, failing with the processes' output after `timeout`. */
async function until(what: string, check: () => Promise<boolean>, timeout = 45_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline)
      throw new Error(`${what} within ${timeout} ms; output:\n${processes.map((p) => p.output.join('')).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const healthy = (port: number) => async () => {
  const [file, ...args] = healthcheck();
  const probe = asImageUser([file === 'node' ? process.execPath : file!, ...args], { ...image, HEALTHCHECK_PORT: String(port) });
  return (await new Promise<number | null>((r) => probe.on('close', r))) === 0;
};

async function api(method: string, route: string, body?: unknown, yaml?: string): Promise<any> {
  const res = await fetch(`${baseUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': yaml ? 'application/yaml' : 'application/json' },
    ...(yaml ? { body: yaml } : body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${route} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

async function finished(runId: string): Promise<any> {
  let run: any;
  await until(`run ${runId} did not end`, async () => {
    run = await api('GET', `/api/runs/${runId}`);
    return /^(succeeded|failed|cancelled)$/.test(run.status);
  });
  return run;
}

const hook = async (hookPath: string, body: unknown) => {
  const res = await fetch(`${baseUrl}/hooks${hookPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { run_id: string }).run_id;
};

beforeAll(async () => {
  if (skip) return;
  machine = new pg.Client({ connectionString: MACHINE_POSTGRES });
  await machine.connect();
  tdb = await createTestDatabase();
  [smtp, s3, outside] = await Promise.all([startSmtpServer(), startS3Server({ buckets: ['backups'] }), startHttpServer()]);
  // The image's /data: owned by the runtime user, mode 0700, holding nothing yet.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-container-'));
  data = path.join(root, 'data');
  fs.mkdirSync(data, { mode: 0o700 });
  fs.chmodSync(root, 0o755);
  if (process.getuid?.() === 0) fs.chownSync(data, IMAGE_UID, IMAGE_UID);
  const port = await freePort();
  workerMetricsPort = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  // The image's ENV, then what an operator adds for these examples: connections and variables.
  image = { NODE_ENV: 'production', KHAOSFLOW_HOME: data, PATH: '/usr/local/bin:/usr/bin:/bin', HOME: data, PORT: String(port) };
  operator = {
    KHAOSFLOW_CONNECTION_DEFAULT: `${smtp.url}?from=khaosflow@example.com`,
    KHAOSFLOW_CONNECTION_S3: s3.url,
    KHAOSFLOW_VAR_KHAOSBASE_URL: outside.url,
    KHAOSFLOW_VAR_PAYMENT_GATEWAY_URL: outside.url,
    // The backup example works in /tmp and reaches Postgres on localhost from its script.
    KHAOSFLOW_FILE_ROOTS: '/tmp',
    KHAOSFLOW_SCRIPT_NETWORK: 'host',
  };
  outside.route('POST', '/api/tasks', (req, res) => json(res, 201, { id: 'task-1', ...JSON.parse(req.body.toString()) }));
  outside.route('POST', '/charge', (_req, res) => json(res, 200, { charged: true }));
  await tdb.pool.query('create table public.customers (id serial primary key, name text, email text, account_manager text)');
  await tdb.pool.query('create table public.products (id int primary key, stock int not null)');
  await tdb.pool.query('insert into public.products values (1, 5), (2, 1)');
  // The Postgres the backup example dumps: the machine's, as `-h localhost -U postgres`.
  const exists = await machine.query("select 1 from pg_database where datname = 'khaosbase'");
  if (exists.rowCount === 0) await machine.query('create database khaosbase');
  const khaosbase = new pg.Client({ connectionString: MACHINE_POSTGRES.replace(/\/postgres$/, '/khaosbase') });
  await khaosbase.connect();
  await khaosbase.query('create table if not exists container_marker (label text)');
  await khaosbase.query("insert into container_marker values ('kf-container-backup')");
  await khaosbase.end();
  for (const file of ['/tmp/backup.sql', '/tmp/backup.sql.gz']) fs.rmSync(file, { force: true });

  launch('web', argv('web'));
  launch(
    'worker',
    argv('worker').map((a) => (a === '9464' ? String(workerMetricsPort) : a)),
  );
  await until('web did not become healthy by the image HEALTHCHECK', healthy(port), 60_000);
  key = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
});

afterAll(async () => {
  for (const { child } of processes) child.kill('SIGTERM');
  await Promise.all(processes.map(({ child }) => (child.exitCode === null ? new Promise((r) => child.once('close', r)) : null)));
  await closeS3Clients();
  await Promise.all([smtp?.close(), s3?.close(), outside?.close()]);
  await machine?.end();
  await tdb?.drop();
  for (const file of ['/tmp/backup.sql', '/tmp/backup.sql.gz']) fs.rmSync(file, { force: true });
});

describe.skipIf(skip !== null)('the container runtime layout', () => {
  it('is declared by the Dockerfile and compose file', () => {
    const packages = /apt-get install[^\n]*--no-install-recommends ([^\n&]*)/.exec(dockerfile)![1]!.split(/\s+/);
    expect(packages).toEqual(expect.arrayContaining(['postgresql-client', 'python3', 'bubblewrap']));
    expect(dockerfile).toMatch(/chown node:node \/data/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(healthcheck()[0]).toBe('node');
    expect(argv('worker')).toEqual(['worker', '--metrics-port', '9464']);
    expect(compose.services.worker!.environment.HEALTHCHECK_PORT).toBe('9464');
    for (const service of ['web', 'worker']) expect(compose.services[service]!.security_opt).toContain('seccomp=unconfined');
    // pg_dump refuses a server newer than itself: the image's (this machine's Debian one) must cover compose's Postgres.
    const dumpMajor = Number(/\) (\d+)/.exec(execFileSync('pg_dump', ['--version']).toString())![1]);
    expect(Number(/postgres:(\d+)/.exec(compose.services.postgres!.image!)![1])).toBeLessThanOrEqual(dumpMajor);
  });

  it('runs web and worker as the image user, keeping its key in /data, with both HEALTHCHECKs passing', async () => {
    await until('the worker did not become healthy on its --metrics-port', healthy(workerMetricsPort));
    for (const { child } of processes) {
      // setpriv execs node in place: the child's pid is the engine's.
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      expect(/^Uid:\s+(\d+)/m.exec(status)![1]).toBe(String(process.getuid?.() === 0 ? IMAGE_UID : process.getuid?.()));
    }
    const keyFile = fs.statSync(path.join(data, 'secret.key'));
    expect(keyFile.mode & 0o777).toBe(0o600);
    expect(keyFile.uid).toBe(fs.statSync(data).uid);
  });

  it('runs Customer Onboarding: the customer row, the welcome email and the sales task', async () => {
    await api('PUT', '/api/templates/welcome', { subject: 'Welcome, {{name}}!', text: 'Hello {{name}}, {{account_manager}} will call.' });
    await api('POST', '/api/workflows', undefined, example('customer-onboarding.yaml'));
    const run = await finished(await hook('/customers/new', { name: 'Ada', email: 'ada@example.com', account_manager: 'Grace' }));
    expect(run.status, JSON.stringify(run.steps)).toBe('succeeded');
    expect((await tdb.pool.query('select name, email from public.customers')).rows).toEqual([{ name: 'Ada', email: 'ada@example.com' }]);
    expect((await smtp.waitForMessages(1)).some((m) => m.subject === 'Welcome, Ada!')).toBe(true);
    expect(JSON.parse(outside.to('/api/tasks')[0]!.body.toString())).toEqual({ title: 'Onboard Ada', assigned_to: 'Grace' });
  });

  it('runs E-commerce Order Processing: a sandboxed script, stock, payment and confirmation', async () => {
    await api('PUT', '/api/templates/order_confirmation', { subject: 'Order confirmed', text: 'Thank you!' });
    await api('POST', '/api/workflows', undefined, example('order-processing.yaml'));
    const sent = smtp.messages.length;
    const run = await finished(
      await hook('/orders/new', { customer_email: 'buyer@example.com', items: [{ product_id: 1 }, { product_id: 2 }] }),
    );
    expect(run.status, JSON.stringify(run.steps)).toBe('succeeded');
    expect((await tdb.pool.query('select id, stock from public.products order by id')).rows).toEqual([
      { id: 1, stock: 4 },
      { id: 2, stock: 0 },
    ]);
    expect(outside.to('/charge')).toHaveLength(1);
    expect((await smtp.waitForMessages(sent + 1)).at(-1)!.subject).toBe('Order confirmed');
  });

  it('runs Daily Database Backup: pg_dump and gzip in the sandbox, the upload to S3 and the email', async () => {
    await api('POST', '/api/workflows', undefined, example('daily-backup.yaml'));
    const sent = smtp.messages.length;
    const run = await finished((await api('POST', '/api/workflows/daily-database-backup/runs', { data: {} })).run_id);
    expect(run.status, JSON.stringify(run.steps)).toBe('succeeded');
    const upload = run.steps.find((s: { name: string }) => s.name === 'Upload to S3').output as { destination: string };
    const objectKey = upload.destination.replace('s3://backups/', '');
    const { client } = s3ClientFor(s3.url);
    const object = await client.send(new GetObjectCommand({ Bucket: 'backups', Key: objectKey }));
    expect(gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString()).toContain('kf-container-backup');
    expect(fs.existsSync('/tmp/backup.sql.gz')).toBe(false);
    expect((await smtp.waitForMessages(sent + 1)).at(-1)!.subject).toMatch(/^Backup Complete: /);
  });
});
