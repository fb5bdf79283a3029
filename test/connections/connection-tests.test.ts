// `connections test` against real servers: each type reports success, and a failure
// as one readable sentence that never contains the password.
import fs from 'node:fs';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnection } from '../../server/connections/test-connection.js';
import { connectionTypeOfUrl, type Connection } from '../../server/connections/types.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import {
  closedPort,
  DOVECOT,
  PASSWORD,
  startDovecot,
  startFtpServer,
  startHttpServer,
  startS3Server,
  startSftpServer,
  startSmtpServer,
  USER,
  type TestServer,
} from '../helpers/connection-servers.js';

const password = encodeURIComponent(PASSWORD);
const wrong = 'not-the-password';

function connection(url: string, options: Record<string, string> = {}): Connection {
  return { name: 'under_test', type: connectionTypeOfUrl(url)!, url, options, source: 'database' };
}

async function expectFailure(url: string, pattern: RegExp, opts: { timeoutMs?: number } = {}) {
  const result = await testConnection(connection(url), { timeoutMs: opts.timeoutMs ?? 5_000 });
  expect(result.ok, result.message).toBe(false);
  expect(result.message).toMatch(/^Could not connect to \w+ connection "under_test" at [^:]+(:\d+)?: /);
  expect(result.message).toMatch(pattern);
  expect(result.message).not.toContain(wrong);
  expect(result.message).not.toContain(PASSWORD);
  expect(result.message.split('\n')).toHaveLength(1);
  return result.message;
}

async function expectSuccess(url: string, pattern: RegExp, options: Record<string, string> = {}) {
  const result = await testConnection(connection(url, options), { timeoutMs: 5_000 });
  expect(result.message).toMatch(/^Connected to \w+ connection "under_test" at /);
  expect(result.ok, result.message).toBe(true);
  expect(result.message).toMatch(pattern);
}

let refused: number;
beforeAll(async () => {
  refused = await closedPort();
});

describe('postgres', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(() => tdb.drop());

  it('runs select 1 on a reachable database', async () => {
    await expectSuccess(tdb.url, /select 1 answered/);
  });

  it('says the connection was refused on a closed port, and names a missing database', async () => {
    await expectFailure(
      `postgres://app:${wrong}@127.0.0.1:${refused}/app`,
      /connection refused; is the server running, and are the host and port right\?/,
    );
    const u = new URL(tdb.url);
    u.pathname = '/no_such_database_here';
    await expectFailure(u.toString(), /database "no_such_database_here" does not exist/);
  });
});

describe('mysql (MariaDB on 127.0.0.1:3306)', async () => {
  const reachable = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', connectTimeout: 2_000 }).then(
    async (c) => {
      await c.end();
      return true;
    },
    () => false,
  );
  if (!reachable && process.env.CI === 'true')
    throw new Error('CI=true but MariaDB is not reachable at 127.0.0.1:3306 as root without a password.');
  it.skipIf(!reachable)('runs select 1 (skipped when MariaDB is not running on 127.0.0.1:3306)', async () => {
    await expectSuccess('mysql://root@127.0.0.1:3306/', /select 1 answered/);
  });
  it.skipIf(!reachable)('reports a refused login', async () => {
    await expectFailure(`mysql://no_such_user:${wrong}@127.0.0.1:3306/`, /the login was refused \(Access denied for user 'no_such_user'/);
  });
  it('says the connection was refused on a closed port', async () => {
    await expectFailure(`mysql://root@127.0.0.1:${refused}/`, /connection refused/);
  });
});

describe('mongodb (no server can run here)', () => {
  it('reports a closed port as a refused connection', async () => {
    await expectFailure(`mongodb://app:${wrong}@127.0.0.1:${refused}/app`, /connection refused|no answer within 1500 ms/, {
      timeoutMs: 1_500,
    });
  });
});

describe('smtp (smtp-server)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startSmtpServer();
  });
  afterAll(() => server.close());

  it('logs in with verify()', async () => {
    await expectSuccess(`smtp://${USER}:${password}@127.0.0.1:${server.port}`, /the server accepted the login/);
  });
  it('reports a wrong password', async () => {
    await expectFailure(
      `smtp://${USER}:${wrong}@127.0.0.1:${server.port}`,
      /the login was refused \(.*Invalid username or password.*\); check the user name and password/,
    );
  });
  it('reports a closed port', async () => {
    await expectFailure(`smtp://${USER}:${wrong}@127.0.0.1:${refused}`, /connection refused/);
  });
});

describe('imap (dovecot)', async () => {
  const installed = fs.existsSync(DOVECOT);
  if (!installed && process.env.CI === 'true')
    throw new Error(`CI=true but dovecot is missing at ${DOVECOT}; .ci/run installs dovecot-imapd.`);
  let server: TestServer | null = null;
  beforeAll(async () => {
    if (installed) server = await startDovecot();
  });
  afterAll(() => server?.close());

  it.skipIf(!installed)('logs in and out (skipped without Debian dovecot-imapd)', async () => {
    await expectSuccess(`imap://${USER}:${password}@127.0.0.1:${server!.port}`, /logged in and out/);
  });
  it.skipIf(!installed)('reports a wrong password', async () => {
    await expectFailure(`imap://${USER}:${wrong}@127.0.0.1:${server!.port}`, /the login was refused/);
  });
  it('reports a closed port', async () => {
    await expectFailure(`imap://${USER}:${wrong}@127.0.0.1:${refused}`, /connection refused/);
  });
});

describe('s3 (s3rver)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startS3Server('invoices');
  });
  afterAll(() => server.close());
  // s3rver checks the access key id but not SigV4 signatures, so a wrong key id stands for wrong credentials.
  const url = (bucket: string, keyId = 'S3RVER') =>
    `s3://${keyId}:S3RVER@127.0.0.1:${server.port}/${bucket}?region=us-east-1&path_style=true&tls=false`;

  it('finds the bucket named in the URL, or lists buckets when there is none', async () => {
    await expectSuccess(url('invoices'), /bucket "invoices" exists/);
    await expectSuccess(url(''), /listed 1 bucket\(s\)/);
  });
  it('reports a missing bucket and an unknown access key', async () => {
    await expectFailure(url('no-such-bucket'), /the bucket named in the URL does not exist/);
    await expectFailure(url('', 'NOT_A_KEY'), /the login was refused \(The AWS Access Key Id you provided does not exist/);
  });
  it('reports a closed port', async () => {
    await expectFailure(`s3://S3RVER:S3RVER@127.0.0.1:${refused}/?region=us-east-1&path_style=true&tls=false`, /connection refused/);
  });
});

describe('ftp (ftp-srv)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startFtpServer();
  });
  afterAll(() => server.close());

  it('logs in and prints the working directory', async () => {
    await expectSuccess(`ftp://${USER}:${password}@127.0.0.1:${server.port}`, /logged in, working directory \//);
  });
  it('reports a wrong password', async () => {
    await expectFailure(`ftp://${USER}:${wrong}@127.0.0.1:${server.port}`, /the login was refused/);
  });
  it('reports a closed port', async () => {
    await expectFailure(`ftp://${USER}:${wrong}@127.0.0.1:${refused}`, /connection refused/);
  });
});

describe('sftp (ssh2 server)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startSftpServer();
  });
  afterAll(() => server.close());

  it('logs in and prints the working directory', async () => {
    await expectSuccess(`sftp://${USER}:${password}@127.0.0.1:${server.port}`, /logged in, working directory \//);
  });
  it('reports a wrong password', async () => {
    await expectFailure(`sftp://${USER}:${wrong}@127.0.0.1:${server.port}`, /the login was refused/);
  });
  it('reports a closed port', async () => {
    await expectFailure(`sftp://${USER}:${wrong}@127.0.0.1:${refused}`, /connection refused/);
  });
});

describe('http (node:http)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startHttpServer();
  });
  afterAll(() => server.close());

  it('answers a HEAD request, with Basic credentials from the URL', async () => {
    await expectSuccess(`http://127.0.0.1:${server.port}/`, /the server answered 200 OK/);
    await expectSuccess(`http://${USER}:${password}@127.0.0.1:${server.port}/private`, /200 OK/);
  });
  it('reports refused credentials, server errors and a closed port', async () => {
    await expectFailure(
      `http://${USER}:${wrong}@127.0.0.1:${server.port}/private`,
      /the login was refused \(the server answered 401 Unauthorized\)/,
    );
    await expectFailure(`http://127.0.0.1:${server.port}/broken`, /the server answered 500 Internal Server Error/);
    await expectFailure(`http://127.0.0.1:${refused}/`, /connection refused/);
  });
});
