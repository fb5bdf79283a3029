// Debian's Chromium driven by playwright-core (no browser downloads are possible
// here). Tests that need it skip with a clear message when it is absent, unless CI
// is set, where .ci/run installs it and nothing may skip.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Null when Chromium can be used; otherwise the reason the browser tests skip. */
export function browserSkipReason(): string | null {
  if (fs.existsSync(CHROMIUM_PATH)) return null;
  if (process.env.CI === 'true')
    throw new Error(`CI=true but Chromium is missing at ${CHROMIUM_PATH}; .ci/run installs it with apt-get install -y chromium.`);
  return `Chromium not found at ${CHROMIUM_PATH}: browser tests skipped (apt-get install -y chromium to run them).`;
}

export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'khaosflow-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Where screenshots go, so a person can open and look at them. */
export function screenshotPath(name: string): string {
  const dir = path.resolve('test-results');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}

/** Logs `page` in through the console's login form and waits for the console shell. */
export async function logIn(page: import('playwright-core').Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor({ state: 'visible' });
  await waitForHydration(page);
}

/**
 * Waits until React has hydrated the page (app/root.tsx marks <html data-hydrated>). Before
 * that a click on a form button is a plain browser POST and typed values can be lost, which
 * made tests flaky on a loaded machine. Call it after every full page load (goto, reload).
 */
export async function waitForHydration(page: import('playwright-core').Page): Promise<void> {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
}

/** The workflow editor's text as it would be saved (the save form's hidden field; CodeMirror draws only the lines in view). */
export function editorText(page: import('playwright-core').Page): Promise<string> {
  return page.locator('form input[name="yaml"]').inputValue();
}

/**
 * Selects all in the workflow editor and pastes `text`. (Typing over several lines lets
 * Chromium's own editing try to keep formatting with inline styles, which the page's CSP
 * refuses and reports; CodeMirror redraws the lines anyway. A paste goes to CodeMirror alone.)
 */
export async function replaceEditorText(page: import('playwright-core').Page, text: string): Promise<void> {
  const editor = page.getByLabel('Workflow YAML');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await editor.evaluate((content, pasted) => {
    // Runs in the page; the tests are compiled without DOM types.
    const page = globalThis as unknown as {
      DataTransfer: new () => { setData(type: string, value: string): void };
      ClipboardEvent: new (type: string, init: object) => unknown;
    };
    const clipboardData = new page.DataTransfer();
    clipboardData.setData('text/plain', pasted);
    const paste = new page.ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true });
    (content as unknown as { dispatchEvent(event: unknown): void }).dispatchEvent(paste);
  }, text);
}
