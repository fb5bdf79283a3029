import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../server/console-auth/sessions.js';
import { createUser } from '../../server/console-auth/users.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { applyYaml } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({ databaseUrl: tdb.url, worker: false, singletons: false });
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

describe('HTTP foundation', () => {
  it('answers /healthz after checking the database', async () => {
    const res = await fetch(`${node.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('reports its version', async () => {
    const res = await fetch(`${node.baseUrl}/api/version`);
    expect(await res.json()).toMatchObject({ name: 'khaosflow', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('answers unknown API paths with a JSON 404 instead of the console page', async () => {
    const res = await fetch(`${node.baseUrl}/api/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No route GET /api/nope.' } });
  });

  it('serves the console for other paths, listing workflows from the database to a logged-in user', async () => {
    await applyYaml(tdb.db, `name: Nightly Report\nsteps:\n  - name: Say\n    action: { type: log, message: hi }\n`);
    const anonymous = await fetch(`${node.baseUrl}/`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/login');
    const user = await createUser(tdb.db, { email: 'ops@example.com', password: 'http-test-password' });
    const { token } = await createSession(tdb.db, user.id);
    const res = await fetch(`${node.baseUrl}/`, { headers: { cookie: `kf_session=${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('Nightly Report');
    expect(html).toContain('nightly-report');
  });

  it('serves built assets with a long cache and refuses paths outside the build', async () => {
    const html = await (await fetch(`${node.baseUrl}/login`)).text();
    const asset = /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const res = await fetch(`${node.baseUrl}${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
    const escaped = await fetch(`${node.baseUrl}/assets/..%2f..%2fpackage.json`);
    expect(await escaped.text()).not.toContain('"name": "khaosflow"');
  });
});
