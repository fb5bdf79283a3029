// One outbound policy for every connection (issue 18, finding 9): the connection test
// (POST /api/connections/test included) and steps using database, mail, FTP, SFTP or
// S3 connections refuse metadata addresses and hosts outside
// KHAOSFLOW_HTTP_ALLOWED_HOSTS, as HTTP steps do.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { testConnection } from '../../server/connections/test-connection.js';
import { closeDatabasePools } from '../../server/connectors/database-pools.js';
import { urlHosts } from '../../server/net/destination.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startBench, stepsByName, type Bench } from '../helpers/engine.js';
import { startTestNode, type TestNode } from '../helpers/node.js';

let tdb: TestDatabase;
let node: TestNode;
let key: string;
let bench: Bench;
beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({ databaseUrl: tdb.url, http: true, worker: false, singletons: false });
  key = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
  bench = await startBench({
    env: {
      KHAOSFLOW_CONNECTION_METADATA: 'postgres://u:pw@169.254.169.254:5432/db',
      KHAOSFLOW_CONNECTION_MAILER: 'smtp://u:pw@169.254.169.254:25',
    },
  });
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
  await bench?.stop();
  await closeDatabasePools();
});

describe('the outbound policy for connections', () => {
  it('refuses a connection test to a metadata address over the API, for HTTP and for databases', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'postgres://u:pw@169.254.169.254:5432/db']) {
      const res = await fetch(`${node.baseUrl}/api/connections/test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ name: 'probe', url }),
      });
      const body = (await res.json()) as { ok: boolean; message: string };
      expect(body.ok, url).toBe(false);
      expect(body.message, url).toMatch(
        /Refused to connect to 169\.254\.169\.254: it is a link-local address.*KHAOSFLOW_HTTP_ALLOW_METADATA=true/,
      );
    }
  });

  it('refuses hosts outside KHAOSFLOW_HTTP_ALLOWED_HOSTS for every connection type, and allows listed ones', async () => {
    const env = { KHAOSFLOW_HTTP_ALLOWED_HOSTS: 'db.example.com' };
    for (const url of [
      'postgres://postgres@127.0.0.1:5432/postgres',
      'mysql://root@127.0.0.1:3306/',
      'smtp://127.0.0.1:2525',
      'mongodb://127.0.0.1:2/x',
    ]) {
      const result = await testConnection({ name: 'c', type: url.split(':')[0] as 'postgres', url, options: {} }, { env, timeoutMs: 3000 });
      expect(result.message, url).toMatch(/Refused to connect to .*not in KHAOSFLOW_HTTP_ALLOWED_HOSTS/);
    }
    const allowed = await testConnection(
      { name: 'c', type: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/postgres', options: {} },
      { env: { KHAOSFLOW_HTTP_ALLOWED_HOSTS: '127.0.0.0/8' } },
    );
    expect(allowed).toMatchObject({ ok: true });
  });

  it('refuses a database or mail step whose connection points at a metadata address, before connecting', async () => {
    const { slug } = await bench.apply(`
name: Metadata ${randomBytes(4).toString('hex')}
trigger: { type: manual }
steps:
  - name: Query
    action: { type: database_query, connection: metadata, query: "select 1" }
`);
    const run = await bench.waitFor(await bench.start(slug));
    expect(run.status).toBe('failed');
    expect((stepsByName(run).Query!.error as { message: string }).message).toMatch(
      /^Connection "metadata": Refused to connect to 169\.254\.169\.254: it is a link-local address/,
    );
  });

  it('reads every host of a connection URL', () => {
    expect(urlHosts('mongodb://u:p@a.example:27017,b.example:27018/db?x=1')).toEqual(['a.example', 'b.example']);
    expect(urlHosts('postgres://u:p@[::1]:5432/db')).toEqual(['::1']);
    expect(urlHosts('s3://KEY:SECRET@minio.local:9000/bucket')).toEqual(['minio.local']);
  });
});
