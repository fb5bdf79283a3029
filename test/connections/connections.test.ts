import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createConnection,
  deleteConnectionByName,
  listConnections,
  testConnectionByName,
  updateConnection,
} from '../../server/http/api/connections-controller.js';
import { parseConnectionsFile } from '../../server/connections/file.js';
import { redactingResolver } from '../../server/connections/redaction.js';
import { staticConnectionResolver } from '../../server/connections/env.js';
import { createRedactor } from '../../server/secrets/redact.js';
import {
  connectionSecretValues,
  ftpOptionsFromUrl,
  httpBaseFromUrl,
  imapOptionsFromUrl,
  mysqlOptionsFromUrl,
  parseS3Url,
  redactConnectionUrl,
  sftpOptionsFromUrl,
  smtpOptionsFromUrl,
  splitConnectionSecrets,
} from '../../server/connections/urls.js';
import { HttpError } from '../../server/core/http-error.js';
import type { Vault } from '../../server/vault.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { newKeyText, tempHome, vaultWithKey } from '../helpers/vault.js';

describe('connection URLs', () => {
  it('hides passwords and secret query parameters', () => {
    expect(redactConnectionUrl('postgres://app:s3cr%40t@db:5432/app?sslmode=require&api_key=k123')).toBe(
      'postgres://app:***@db:5432/app?sslmode=require&api_key=***',
    );
    expect(redactConnectionUrl('not a url://u:pw@host')).not.toContain('pw');
  });

  it('splits secrets out for the vault: password, secret parameters and options', () => {
    const split = splitConnectionSecrets('http://bot:p%2Fw@api.example.com/v1?token=abc&page=1', {
      'header.Authorization': 'Bearer xyz',
      timeout: '5000',
    });
    expect(split).toEqual({
      url: 'http://bot@api.example.com/v1?page=1',
      options: { timeout: '5000' },
      secrets: { password: 'p/w', 'query.token': 'abc', 'option.header.Authorization': 'Bearer xyz' },
    });
    expect(connectionSecretValues({ url: 'smtp://u:pw1234@mail', options: { privateKey: 'KEY' } })).toEqual(['pw1234', 'KEY']);
  });

  it('turns URLs into client options', () => {
    expect(parseS3Url('s3://AKIA:se%2Fcret@127.0.0.1:9000/invoices?region=eu-west-1&path_style=true&tls=false')).toEqual({
      bucket: 'invoices',
      client: {
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:9000',
        forcePathStyle: true,
        credentials: { accessKeyId: 'AKIA', secretAccessKey: 'se/cret' },
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      },
    });
    expect(parseS3Url('s3://K:S@s3.eu-west-1.amazonaws.com/?region=eu-west-1').client).not.toHaveProperty('endpoint');
    expect(smtpOptionsFromUrl('smtps://u%40x.com:pw@mail.example.com')).toMatchObject({
      host: 'mail.example.com',
      port: 465,
      secure: true,
      auth: { user: 'u@x.com', pass: 'pw' },
    });
    expect(smtpOptionsFromUrl('smtp://mail:2525?reject_unauthorized=false')).toMatchObject({
      port: 2525,
      secure: false,
      tls: { rejectUnauthorized: false },
    });
    expect(imapOptionsFromUrl('imap://u:p@mail')).toMatchObject({ port: 143, secure: false, auth: { user: 'u', pass: 'p' } });
    expect(ftpOptionsFromUrl('ftps://u:p@files')).toMatchObject({ port: 21, secure: true, user: 'u', password: 'p' });
    expect(sftpOptionsFromUrl('sftp://deploy@files:2222', { privateKey: 'KEY' })).toEqual({
      host: 'files',
      port: 2222,
      username: 'deploy',
      privateKey: 'KEY',
    });
    expect(mysqlOptionsFromUrl('mariadb://root@127.0.0.1/shop')).toMatchObject({
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
      database: 'shop',
    });
    expect(httpBaseFromUrl('https://u:p@api.example.com/v2/', { 'header.X-Api-Key': 'k' })).toEqual({
      baseUrl: 'https://api.example.com/v2/',
      headers: { authorization: `Basic ${Buffer.from('u:p').toString('base64')}`, 'x-api-key': 'k' },
    });
  });
});

describe('redacting connection secrets', () => {
  it('registers the password of every connection a step resolves', async () => {
    const redactor = createRedactor();
    const resolver = redactingResolver(
      staticConnectionResolver([{ name: 'default', type: 'smtp', url: 'smtp://bot:mail-pass-123@mail:587', options: {}, source: 'env' }]),
      (v) => redactor.add(v),
    );
    expect(redactor.redactText('AUTH failed for mail-pass-123')).toContain('mail-pass-123');
    await resolver.resolve('smtp');
    expect(redactor.redactText('AUTH failed for mail-pass-123')).toBe('AUTH failed for ***');
  });
});

describe('connections.yaml', () => {
  it('reads names to URLs or {url, options}, and reports problems with file:line:col', () => {
    const entries = parseConnectionsFile(
      'main: postgres://app:${secret:PG_PASSWORD}@db/app\nfiles:\n  url: sftp://deploy@files\n  options:\n    privateKey: ${secret:DEPLOY_KEY}\n',
      'c.yaml',
    );
    expect(entries).toEqual([
      { name: 'main', type: 'postgres', url: 'postgres://app:${secret:PG_PASSWORD}@db/app', options: {} },
      { name: 'files', type: 'sftp', url: 'sftp://deploy@files', options: { privateKey: '${secret:DEPLOY_KEY}' } },
    ]);
    expect(() => parseConnectionsFile('ok: postgres://db/x\nbad: gopher://x\n', 'c.yaml')).toThrow(
      /^c\.yaml:2:6: the URL of connection "bad" has no known scheme/,
    );
    expect(() => parseConnectionsFile('Bad Name: postgres://db\n', 'c.yaml')).toThrow(
      /^c\.yaml:1:1: "Bad Name" is not a valid connection name/,
    );
    expect(() => parseConnectionsFile('a: [unclosed\n', 'c.yaml')).toThrow(/^c\.yaml:\d+:\d+: /);
  });
});

describe('connections in the database, the file and the environment', () => {
  let tdb: TestDatabase;
  let vault: Vault;
  let home: string;
  const env = {
    KHAOSFLOW_CONNECTION_SHARED: 'mysql://env@db/env',
    KHAOSFLOW_CONNECTION_DEFAULT: 'smtp://env@mail:25',
    KHAOSFLOW_CONNECTION_ENV_ONLY: 'http://env.example.com',
  };
  beforeAll(async () => {
    tdb = await createTestDatabase();
    home = tempHome();
    vault = await vaultWithKey(tdb.db, newKeyText(), env, home);
  });
  afterAll(() => tdb.drop());
  beforeEach(async () => {
    await tdb.db.deleteFrom('khaosflow.connections').execute();
    await tdb.db.deleteFrom('khaosflow.secrets').execute();
    fs.rmSync(path.join(home, 'connections.yaml'), { force: true });
    vault.connections.invalidate();
  });
  const deps = () => ({ db: tdb.db, vault });

  it('stores the password in the vault only, and gives it back decrypted to steps', async () => {
    const view = await createConnection(deps(), {
      name: 'postgres_main',
      url: 'postgres://app:Sup3r%2Fsecret@db.internal:5432/app',
      options: { application_name: 'kf' },
    });
    expect(view).toMatchObject({
      name: 'postgres_main',
      type: 'postgres',
      url: 'postgres://app:***@db.internal:5432/app',
      source: 'database',
    });
    const row = await tdb.db.selectFrom('khaosflow.connections').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('Sup3r');
    expect(row.secret_fields).toEqual(['password']);
    const secretRow = await tdb.db.selectFrom('khaosflow.secrets').selectAll().executeTakeFirstOrThrow();
    expect(secretRow.name).toBe('connection:postgres_main:password');
    expect(secretRow.ciphertext.toString()).not.toContain('Sup3r');

    const resolved = await vault.connections.resolve('postgres', 'postgres_main');
    expect(resolved).toMatchObject({
      url: 'postgres://app:Sup3r%2Fsecret@db.internal:5432/app',
      options: { application_name: 'kf' },
      source: 'database',
    });
    expect(await vault.secrets.list()).toEqual([]); // connection fields are not user secrets
  });

  it('keeps stored secrets when an update gives them back as ***, and replaces them otherwise', async () => {
    await createConnection(deps(), { name: 'mail', url: 'smtp://bot:first-pass@mail:587', options: { api_token: 't1' } });
    const listed = (await listConnections(deps())).connections.find((c) => c.name === 'mail')!;
    expect(listed).toMatchObject({ url: 'smtp://bot:***@mail:587', options: { api_token: '***' } });
    await updateConnection(deps(), 'mail', { url: listed.url.replace(':587', ':2525'), options: listed.options }).catch(() => undefined);
    await updateConnection(deps(), 'mail', { url: listed.url, options: { ...listed.options, from: 'bot@example.com' } });
    expect(await vault.connections.get('mail')).toMatchObject({
      url: 'smtp://bot:first-pass@mail:587',
      options: { api_token: 't1', from: 'bot@example.com' },
    });
    await updateConnection(deps(), 'mail', { url: 'smtp://bot:second-pass@mail2:587' });
    expect((await vault.connections.get('mail'))!.url).toBe('smtp://bot:second-pass@mail2:587');
    await updateConnection(deps(), 'mail', { url: 'smtp://bot@mail2:587' });
    expect((await vault.connections.get('mail'))!.url).toBe('smtp://bot@mail2:587');
    expect(await tdb.db.selectFrom('khaosflow.secrets').select('name').execute()).toEqual([]);
  });

  it('never sends a kept password to a new scheme, host, port or user (*** with a changed destination is refused)', async () => {
    await createConnection(deps(), { name: 'warehouse', url: 'postgres://app:Kept-pass-9@db.internal:5432/app' });
    for (const url of [
      'postgres://app:***@attacker.example:5432/app',
      'postgres://app:***@db.internal:6543/app',
      'postgres://other:***@db.internal:5432/app',
      'mysql://app:***@db.internal:5432/app',
    ]) {
      const refused = await updateConnection(deps(), 'warehouse', { url }).catch((e: unknown) => e);
      expect(refused, url).toMatchObject({
        status: 400,
        message: expect.stringMatching(/cannot be kept .* Type it again instead of \*\*\*/),
      });
    }
    expect((await vault.connections.get('warehouse'))!.url).toBe('postgres://app:Kept-pass-9@db.internal:5432/app');
    // The same destination keeps it; a new host with the password typed again is fine.
    await updateConnection(deps(), 'warehouse', { url: 'postgres://app:***@DB.internal:5432/app2' });
    expect((await vault.connections.get('warehouse'))!.url).toBe('postgres://app:Kept-pass-9@DB.internal:5432/app2');
  });

  it('answers API errors as HTTP errors with readable messages', async () => {
    await createConnection(deps(), { name: 'dup', url: 'http://a.example.com' });
    const dup = await createConnection(deps(), { name: 'dup', url: 'http://b.example.com' }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(HttpError);
    expect(dup).toMatchObject({ status: 409, message: 'A connection named "dup" already exists; update it or pick another name.' });
    await expect(createConnection(deps(), { name: 'x', url: 'gopher://old' })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/must start with one of postgres:\/\//),
    });
    await expect(createConnection(deps(), { name: 'x', url: 'http://a', type: 'postgres' })).rejects.toMatchObject({
      status: 400,
      message: 'Connection "x" is declared postgres but its URL is a http URL.',
    });
    await expect(createConnection(deps(), { url: 5 })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^Invalid connection: name: /),
    });
    await expect(updateConnection(deps(), 'nope', { url: 'http://a' })).rejects.toMatchObject({ status: 404 });
    await expect(deleteConnectionByName(deps(), 'nope')).rejects.toMatchObject({ status: 404 });
    expect(await deleteConnectionByName(deps(), 'dup')).toEqual({ deleted: 'dup' });
    await expect(testConnectionByName(deps(), 'dup')).rejects.toMatchObject({ status: 404 });
  });

  it('tests a saved or an unsaved connection through the API', async () => {
    await createConnection(deps(), { name: 'own_db', url: tdb.url });
    expect(await testConnectionByName(deps(), 'own_db')).toMatchObject({ ok: true });
    const unsaved = await testConnectionByName(deps(), { url: 'postgres://u:pw-not-shown@127.0.0.1:1/x' }, { timeoutMs: 2_000 });
    expect(unsaved.ok).toBe(false);
    expect(unsaved.message).not.toContain('pw-not-shown');
  });

  it('resolves database first, then connections.yaml, then the environment', async () => {
    await vault.secrets.set('PG_PASSWORD', 'p@ss/word');
    fs.writeFileSync(
      path.join(home, 'connections.yaml'),
      [
        'shared: postgres://file@db/file',
        'file_only: postgres://app:${secret:PG_PASSWORD}@db:5432/app',
        'default: postgres://file@db/default',
        'broken_ref: postgres://app:${secret:MISSING}@db/app',
      ].join('\n'),
    );
    expect((await vault.connections.get('shared'))!.source).toBe('file');
    await createConnection(deps(), { name: 'shared', url: 'postgres://database@db/db' });
    vault.connections.invalidate();
    expect(await vault.connections.get('shared')).toMatchObject({ source: 'database', url: 'postgres://database@db/db' });
    expect(await vault.connections.get('file_only')).toMatchObject({ source: 'file', url: 'postgres://app:p%40ss%2Fword@db:5432/app' });
    expect(await vault.connections.get('env_only')).toMatchObject({ source: 'env', type: 'http' });
    // A step naming no connection gets `default` of the type it needs, from whichever source has one.
    expect(await vault.connections.resolve('postgres')).toMatchObject({ source: 'file', name: 'default' });
    expect(await vault.connections.resolve('smtp')).toMatchObject({ source: 'env', name: 'default' });
    await expect(vault.connections.resolve('mongodb')).rejects.toThrow(/No mongodb connection named "default"/);
    await expect(vault.connections.resolve('mysql', 'shared')).rejects.toThrow(
      'Connection "shared" is a postgres connection, but this step needs mysql.',
    );
    await expect(vault.connections.get('broken_ref')).rejects.toThrow(
      /uses \$\{secret:MISSING\}, but there is no secret "MISSING"\. Create it with `khaosflow secrets set MISSING`/,
    );

    const list = (await listConnections(deps())).connections;
    expect(list.map((c) => `${c.name}:${c.source}`)).toEqual([
      'broken_ref:file',
      'default:file',
      'env_only:env',
      'file_only:file',
      'shared:database',
    ]);
    expect(JSON.stringify(list)).not.toContain('p@ss');
  });
});
