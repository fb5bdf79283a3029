// The admin commands as an operator runs them: values in through standard input,
// never echoed; a wrong key stops start-up with what to do.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf, readKeyFile } from '../../server/secrets/master-key.js';
import { CLI_TEST_TIMEOUT_MS, runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { newKeyText, tempHome, vaultWithKey } from '../helpers/vault.js';

let tdb: TestDatabase;
let home: string;
let env: Record<string, string>;
beforeAll(async () => {
  tdb = await createTestDatabase();
  home = tempHome();
  env = { DATABASE_URL: tdb.url, KHAOSFLOW_HOME: home, LOG_LEVEL: 'warn' };
});
afterAll(() => tdb.drop());

const cli = (args: string[], opts: { input?: string; env?: Record<string, string> } = {}) =>
  runCli(args, { env: { ...env, ...opts.env }, ...(opts.input === undefined ? {} : { input: opts.input }) });

describe('khaosflow secrets', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('sets from standard input, lists names only, refuses a value on the command line, and deletes', async () => {
    const set = await cli(['secrets', 'set', 'api_token'], { input: 'tok-live-123456\n' });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toMatch(/generated a new secret key in .*secret\.key/);
    expect(set.stderr).toContain('Secret "api_token" saved');
    expect(fs.statSync(path.join(home, 'secret.key')).mode & 0o777).toBe(0o600);

    const list = await cli(['secrets', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+KEY_ID\s+UPDATED\napi_token\s+[0-9a-f]{16}\s+\d{4}-/);
    expect(list.stdout + list.stderr).not.toContain('tok-live');

    const argv = await cli(['secrets', 'set', 'api_token', 'tok-on-argv']);
    expect(argv.code).toBe(2);
    expect(argv.stderr).toContain('the value is read from standard input, never from the command line');

    const vault = await vaultWithKey(tdb.db, fs.readFileSync(path.join(home, 'secret.key'), 'utf8'));
    expect(await vault.secrets.get('api_token')).toBe('tok-live-123456');

    expect((await cli(['secrets', 'delete', 'api_token'])).code).toBe(0);
    const again = await cli(['secrets', 'delete', 'api_token']);
    expect(again).toMatchObject({ code: 1, stderr: 'khaosflow: There is no secret "api_token".\n' });
  });

  it('rotates the key in the key file, keeping every secret readable', async () => {
    await cli(['secrets', 'set', 'stripe_key'], { input: 'sk_live_999' });
    const before = readKeyFile(path.join(home, 'secret.key'));
    const rotated = await cli(['secrets', 'rotate-key']);
    expect(rotated.code, rotated.stderr).toBe(0);
    const after = readKeyFile(path.join(home, 'secret.key'));
    expect(after.equals(before)).toBe(false);
    expect(rotated.stderr).toContain(`to key id ${keyIdOf(after)}`);
    expect(rotated.stderr).toContain('now holds the new key');
    expect(fs.existsSync(path.join(home, 'secret.key.new'))).toBe(false);
    const vault = await vaultWithKey(tdb.db, after.toString('base64'));
    expect(await vault.secrets.get('stripe_key')).toBe('sk_live_999');
  });

  it('stops start-up when KHAOSFLOW_SECRET_KEY cannot read the stored secrets', async () => {
    const result = await cli(['start'], { env: { KHAOSFLOW_SECRET_KEY: newKeyText(), PORT: '0', HOST: '127.0.0.1' } });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(
      /The secret key does not match this database: KHAOSFLOW_SECRET_KEY \(key id [0-9a-f]{16}\) cannot decrypt \d+ secret\(s\)/,
    );
  });
});

describe('khaosflow connections', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('adds from standard input, never prints the password, tests and deletes', async () => {
    // The test database's own password when it has one (embedded Postgres), else any
    // (trust auth): either way it must never be printed.
    const url = new URL(tdb.url);
    url.username = 'postgres';
    if (!url.password) url.password = 'pw-never-shown';
    const password = decodeURIComponent(url.password);
    const add = await cli(['connections', 'add', 'main_db', '--test'], { input: `${url}\n` });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stderr).toContain('Saved postgres connection "main_db": postgres://postgres:***@');
    expect(add.stdout).toMatch(/^Connected to postgres connection "main_db" at 127\.0\.0\.1:\d+: select 1 answered/);

    const list = await cli(['connections', 'list'], { env: { KHAOSFLOW_CONNECTION_MAIL: 'smtp://bot:env-secret@127.0.0.1:1' } });
    expect(list.stdout).toMatch(/main_db\s+postgres\s+database\s+postgres:\/\/postgres:\*\*\*@/);
    expect(list.stdout).toMatch(/mail\s+smtp\s+env\s+smtp:\/\/bot:\*\*\*@127\.0\.0\.1:1/);
    const printed = list.stdout + list.stderr + add.stdout + add.stderr;
    expect(printed).not.toContain(password);
    expect(printed).not.toContain('env-secret');

    const dup = await cli(['connections', 'add', 'main_db', '--url', 'postgres://x@127.0.0.1/x']);
    expect(dup.stderr).toContain('A connection named "main_db" already exists');

    const down = await cli(['connections', 'add', 'down', '--url', 'mysql://root@127.0.0.1:1/']);
    expect(down.code).toBe(0);
    const test = await cli(['connections', 'test', 'down', '--timeout', '2000']);
    expect(test).toMatchObject({ code: 1 });
    expect(test.stdout).toMatch(/^Could not connect to mysql connection "down" at 127\.0\.0\.1:1: connection refused/);

    expect((await cli(['connections', 'delete', 'main_db'])).code).toBe(0);
    expect(await tdb.db.selectFrom('khaosflow.secrets').select('name').where('name', 'like', 'connection:main_db:%').execute()).toEqual([]);
  });
});

describe('khaosflow keys, vars and templates', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('creates a key shown once, lists without secrets, and revokes it', async () => {
    const created = await cli(['keys', 'create', '--workflow', 'order-processing', '--name', 'shop']);
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^kf_[a-z0-9]{8}_[0-9A-Za-z]{32}$/);
    expect(created.stderr).toMatch(/scopes webhook, workflow order-processing\) created\. Store it now: it is not shown again/);
    const prefix = key.split('_')[1]!;
    const list = await cli(['keys', 'list']);
    expect(list.stdout).toMatch(new RegExp(`${prefix}\\s+shop\\s+order-processing\\s+webhook`));
    expect(list.stdout).not.toContain(key.slice(12));
    expect((await cli(['keys', 'revoke', prefix])).stderr).toContain(`(prefix ${prefix}) revoked`);
    const bad = await cli(['keys', 'create', '--scope', 'admin']);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('Unknown scope "admin"') });
  });

  it('sets and lists variables, and previews an email template', async () => {
    expect((await cli(['vars', 'set', 'khaosbase_url', 'https://kb.example.com'])).code).toBe(0);
    expect((await cli(['vars', 'set', 'limit', '10'])).code).toBe(0);
    const vars = JSON.parse((await cli(['vars', 'list', '--json'])).stdout) as unknown[];
    expect(vars).toEqual([
      { name: 'khaosbase_url', value: 'https://kb.example.com', source: 'database' },
      { name: 'limit', value: 10, source: 'database' },
    ]);

    const htmlFile = path.join(home, 'order.html');
    fs.writeFileSync(htmlFile, '<p>Hi {{customer.name}}</p>');
    const set = await cli(['templates', 'set', 'order_confirmation', '--subject', 'Order {{order.id}}', '--html-file', htmlFile]);
    expect(set.code, set.stderr).toBe(0);
    const preview = await cli(['templates', 'preview', 'order_confirmation', '--data', '{"order":{"id":7},"customer":{"name":"<Ada>"}}']);
    expect(JSON.parse(preview.stdout)).toEqual({ subject: 'Order 7', html: '<p>Hi &lt;Ada&gt;</p>', text: null });
  });
});
