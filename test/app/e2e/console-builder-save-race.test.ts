// A draft check of the flow builder that answers while a save is redirecting to the new
// workflow's page must not break the page. React Router's lazy route discovery left that
// page unmatched until its manifest arrived, and the finished check threw "Didn't find any
// matches after fetcher action" (a CI flake of console-builder.test.ts); the console now
// ships its whole route manifest (react-router.config.ts). The check's answer is held back
// until the save's redirect is loading, so the order that failed is forced here.
import type { Page, Request, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../server/console-auth/users.js';
import { browserSkipReason, launchBrowser, logIn, replaceEditorText, waitForHydration } from '../../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);

let tdb: TestDatabase;
let node: TestNode;

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({ databaseUrl: tdb.url, singletons: false });
  await createUser(tdb.db, { email: 'rae@example.com', name: 'Rae', password: 'race-password', role: 'editor' });
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const YAML = 'name: Save Race\ntrigger:\n  type: manual\nsteps:\n  - name: Say hello\n    action:\n      type: log\n      message: hello\n';

/** Resolves once `request` has its whole answer or failed (the page may cancel it). */
function settled(page: Page, request: Request): Promise<void> {
  return new Promise((resolve) => {
    const done = (r: Request) => {
      if (r !== request) return;
      page.off('requestfinished', done);
      page.off('requestfailed', done);
      resolve();
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
  });
}

/** Resolves `seen` with the first request the predicate accepts, holding it (and later ones) until released. */
function holdRequests(page: Page, predicate: (request: Request) => boolean) {
  const held: Array<{ route: Route; done: Promise<void> }> = [];
  let release = false;
  let first: (request: Request) => void;
  const seen = new Promise<Request>((resolve) => {
    first = resolve;
  });
  return {
    seen,
    async handle(route: Route): Promise<boolean> {
      if (!predicate(route.request())) return false;
      if (release) await route.continue();
      else {
        held.push({ route, done: settled(page, route.request()) });
        first(route.request());
      }
      return true;
    },
    /** Lets the held requests go and waits until each has its whole answer, or failed. */
    async release(): Promise<void> {
      release = true;
      await Promise.all(
        held.splice(0).map(async ({ route, done }) => {
          await route.continue().catch(() => undefined);
          await done;
        }),
      );
    },
  };
}

describe.skipIf(skip !== null)('flow builder save race in Chromium', () => {
  it('a draft check that answers while the save redirects leaves the page working', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await logIn(page, node.baseUrl, 'rae@example.com', 'race-password');
      await page.goto(`${node.baseUrl}/workflows/new`);
      await waitForHydration(page);
      await page.getByLabel('Workflow YAML').waitFor();

      const check = holdRequests(page, (r) => r.method() === 'POST' && new URL(r.url()).pathname.startsWith('/builder'));
      // The redirect's load: the new page's data (or, with lazy discovery, its manifest).
      const redirect = holdRequests(page, (r) => {
        const path = new URL(r.url()).pathname;
        return r.method() === 'GET' && (path.startsWith('/workflows/save-race') || path.startsWith('/__manifest'));
      });
      await page.route('**/*', async (route) => {
        if (!(await check.handle(route)) && !(await redirect.handle(route))) await route.continue();
      });

      await replaceEditorText(page, YAML);
      await check.seen;
      await page.getByRole('button', { name: 'Create workflow' }).click();
      await redirect.seen;
      await check.release();
      // One frame, so the page has handled the answer before the redirect goes on.
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(resolve))');
      await redirect.release();

      await page.waitForURL(/\/workflows\/save-race$/);
      await page.getByRole('heading', { name: 'Save Race' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
