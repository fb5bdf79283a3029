// The embedded default: `khaosflow start` with no DATABASE_URL runs its own Postgres,
// stops it on Ctrl-C, and recovers from a kill -9 that left Postgres running.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli, waitForLine } from '../helpers/cli.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-home-'));
afterAll(() => {
  // A failed assertion may leave a Postgres behind; stop it so the machine stays clean.
  for (const pid of postgresPids())
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      /* already gone */
    }
  fs.rmSync(home, { recursive: true, force: true });
});

function postgresPids(): number[] {
  try {
    return execFileSync('pgrep', ['-f', `postgres -D ${path.join(home, 'postgres')}`])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

const env = { DATABASE_URL: '', KHAOSFLOW_HOME: home, PORT: '0' };

async function startAndGetUrl(): Promise<{ child: ReturnType<typeof spawnCli>; url: string; line: string }> {
  const child = spawnCli(['start'], { env });
  const line = await waitForLine(child, /console at/);
  const url = (JSON.parse(line) as { url: string }).url;
  return { child, url, line };
}

describe('embedded Postgres', () => {
  it('starts with no DATABASE_URL, serves /healthz and the console, and leaves no Postgres after Ctrl-C', async () => {
    const { child, url, line } = await startAndGetUrl();
    expect(line).toContain(`embedded Postgres in ${path.join(home, 'postgres')}`);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // A fresh install: the console asks for the owner setup (the link is in the log).
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(new URL(page.url).pathname).toBe('/login');
    expect(await page.text()).toContain('Set up KhaosFlow');
    expect(postgresPids()).toHaveLength(1);
    child.kill('SIGINT');
    const result = await child.output;
    expect(result.code).toBe(0);
    expect(postgresPids()).toEqual([]);
  });

  it('starts again after kill -9 left its Postgres running', async () => {
    const first = await startAndGetUrl();
    first.child.kill('SIGKILL');
    await first.child.output;
    expect(postgresPids()).toHaveLength(1); // the orphan a crash leaves behind

    const second = await startAndGetUrl();
    expect(second.child.stdoutText()).toContain('taking over the embedded Postgres');
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    second.child.kill('SIGINT');
    expect((await second.child.output).code).toBe(0);
    expect(postgresPids()).toEqual([]);
  });
});
