// The console's editor saves workflows that use plugin actions, as the API does. The
// console is a separate bundle with its own copy of the workflow language; plugins
// register in the server's copy at start-up, so the console must learn them before it
// validates (server/workflows/builder-catalog.ts learnRegisteredActions). Needs the
// console build (npm run build), like the browser tests.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/console-auth/users.js';
import { projectRoot } from '../../server/paths.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';

let tdb: TestDatabase;
let node: TestNode;
let cookie: string;

/** A form post to the console as the browser sends it without JavaScript (same origin, session cookie). */
function post(pathname: string, fields: Record<string, string>, withCookie = true) {
  return fetch(`${node.baseUrl}${pathname}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: node.baseUrl,
      ...(withCookie ? { cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
  });
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: false,
    singletons: false,
    env: { KHAOSFLOW_PLUGINS: path.join(projectRoot, 'examples/plugins') },
  });
  await createUser(tdb.db, { email: 'ed@example.com', name: 'Ed', password: 'editor-password', role: 'editor' });
  const login = await post('/login', { email: 'ed@example.com', password: 'editor-password', next: '/' }, false);
  expect(login.status).toBe(302);
  cookie = login.headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const PUBLISH = `name: Publish Post
trigger: { type: manual }
steps:
  - name: Make Slug
    action: { type: slugify, text: "{{trigger.data.title}}", max_length: 20 }
`;

const versions = async () =>
  (
    await tdb.pool.query<{ version: number }>(
      "select v.version from khaosflow.workflow_versions v join khaosflow.workflows w on w.id = v.workflow_id where w.slug = 'publish-post' and v.version > 0 order by 1",
    )
  ).rows.map((r) => r.version);

describe('saving plugin-action workflows from the console', () => {
  it('creates and changes a workflow whose step is a plugin action', async () => {
    const created = await post('/workflows/new', { intent: 'save', yaml: PUBLISH });
    expect(created.status).toBe(302);
    expect(created.headers.get('location')).toBe('/workflows/publish-post');

    const changed = await post('/workflows/publish-post', { intent: 'save', yaml: PUBLISH.replace('max_length: 20', 'max_length: 30') });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain('Saved as version 2.');
    expect(await versions()).toEqual([1, 2]);
  });

  it('still checks the plugin action params against its schema', async () => {
    const refused = await post('/workflows/publish-post', { intent: 'save', yaml: PUBLISH.replace('max_length: 20', 'separator: "+"') });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('steps[0].action.separator');
    expect(await versions()).toEqual([1, 2]);
  });
});
