// Who may use /api/connections: read keys and any console session list; write keys and
// admin sessions change and test; editors and viewers are refused. No answer carries
// the password, before or after saving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { callApi, consoleSession, type CallOptions } from '../helpers/api.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let reader: string;
let admin: string;
let editor: string;
let viewer: string;
const PASSWORD = 'pw-never-shown-7731';

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: false,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-conn-access-') },
  });
  reader = (await createApiKey(tdb.db, { scopes: ['read'] })).key;
  admin = await consoleSession(tdb.db, 'admin');
  editor = await consoleSession(tdb.db, 'editor');
  viewer = await consoleSession(tdb.db, 'viewer');
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const call = (method: string, path: string, auth: CallOptions) => callApi(node.baseUrl, method, path, auth);
// A database URL with a password that is not the server's: the test reaches Postgres and is refused.
const url = () => {
  const u = new URL(tdb.url);
  u.username = 'kf_conn_user';
  u.password = PASSWORD;
  return u.toString();
};

describe('/api/connections access', () => {
  it('lets an admin session create, test, update and delete, never answering the password', async () => {
    const asAdmin = { cookie: admin, origin: node.baseUrl };
    const answers = [
      await call('POST', '/api/connections/test', { ...asAdmin, json: { name: 'shop', url: url() } }),
      await call('POST', '/api/connections', { ...asAdmin, json: { name: 'shop', url: url() } }),
      await call('GET', '/api/connections', { cookie: viewer }),
      await call('GET', '/api/connections', { key: reader }),
      await call('POST', '/api/connections/shop/test', asAdmin),
      await call('PUT', '/api/connections/shop', { ...asAdmin, json: { url: url().replace(PASSWORD, '***') } }),
      await call('DELETE', '/api/connections/shop', asAdmin),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 201, 200, 200, 200, 200, 200]);
    expect(answers[2]!.json.connections.map((c: { name: string }) => c.name)).toContain('shop');
    expect(answers[0]!.json.ok).toBe(false);
    for (const a of answers) expect(a.text).not.toContain(PASSWORD);
  });

  it('refuses editors, viewers and read keys every change and test', async () => {
    await call('POST', '/api/connections', { cookie: admin, origin: node.baseUrl, json: { name: 'kept', url: url() } });
    const changes: Array<[string, string, unknown]> = [
      ['POST', '/api/connections', { name: 'other', url: url() }],
      ['POST', '/api/connections/test', { url: url() }],
      ['PUT', '/api/connections/kept', { url: url() }],
      ['DELETE', '/api/connections/kept', undefined],
      ['POST', '/api/connections/kept/test', undefined],
    ];
    for (const [method, path, json] of changes) {
      for (const auth of [{ cookie: editor, origin: node.baseUrl }, { cookie: viewer, origin: node.baseUrl }, { key: reader }]) {
        const res = await call(method, path, { ...auth, ...(json === undefined ? {} : { json }) });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.text).not.toContain(PASSWORD);
      }
      expect((await call(method, path, json === undefined ? {} : { json })).status).toBe(401);
    }
    const list = await call('GET', '/api/connections', { key: reader });
    expect(list.json.connections.map((c: { name: string }) => c.name)).toContain('kept');
  });
});
