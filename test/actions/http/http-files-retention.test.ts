// Downloaded HTTP answers ($KHAOSFLOW_HOME/files/http/<run>/) are deleted once their
// run finished more than KHAOSFLOW_HTTP_FILES_RETENTION_DAYS ago, or once the run is
// gone, and never while the run - or a retry or parent that reads its files - is
// unfinished or recent. sweepHttpFiles is called with a chosen `now`; the last test
// checks that a worker sweeps on its own.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFilesDir } from '../../../server/files/roots.js';
import { retentionDaysFrom, sweepHttpFiles } from '../../../server/files/http-retention.js';
import { startBench, type Bench } from '../../helpers/engine.js';
import { startTestNode } from '../../helpers/node.js';
import { tempDir } from '../../triggers/helpers.js';
import { startHttpServer, type TestHttpServer } from './http-server.js';
import { runAction } from './step.js';

const DAY = 24 * 60 * 60 * 1000;
let bench: Bench;
let server: TestHttpServer;
let home: string;
let slug: string;
const made: string[] = [];
const now = new Date();
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

beforeAll(async () => {
  home = tempDir('kf-http-retention-');
  [bench, server] = await Promise.all([startBench({ env: { KHAOSFLOW_HOME: home } }), startHttpServer()]);
  server.route('GET', '/report.pdf', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/pdf' });
    res.end(Buffer.from('%PDF-1.4 not really'));
  });
  ({ slug } = await bench.apply(
    'name: Downloads\ntrigger: { type: manual }\nsteps:\n  - name: Noop\n    action: { type: log, message: hi }\n',
  ));
});
afterAll(async () => {
  await server?.close();
  await bench?.stop();
  for (const dir of [home, ...made]) fs.rmSync(dir, { recursive: true, force: true });
});

/** A run row as the engine leaves it; no job, so no worker touches it. */
async function run(status: string, opts: { created?: Date; finished?: Date; retryOf?: string; parent?: string } = {}): Promise<string> {
  const { rows } = await bench.services.pool.query<{ id: string }>(
    `insert into khaosflow.runs (workflow_id, version, status, created_at, finished_at, retry_of, parent_run_id)
     select id, current_version, $2, $3, $4, $5, $6 from khaosflow.workflows where slug = $1 returning id`,
    [slug, status, opts.created ?? daysAgo(40), opts.finished ?? null, opts.retryOf ?? null, opts.parent ?? null],
  );
  return rows[0]!.id;
}

/** A fresh sweep folder holding a download for each of `runs`. */
function folderWith(runs: string[]): string {
  const parent = tempDir('kf-http-files-');
  made.push(parent);
  const folder = path.join(parent, 'http');
  for (const id of runs) {
    fs.mkdirSync(path.join(folder, id), { recursive: true });
    fs.writeFileSync(path.join(folder, id, randomUUID()), 'bytes');
  }
  return folder;
}

const left = (folder: string) => fs.readdirSync(folder).sort();
const sorted = (ids: string[]) => [...ids].sort();

describe('HTTP download retention', () => {
  it('deletes the folders of runs finished longer ago than the period, and keeps unfinished and recent ones', async () => {
    const expired = [
      await run('succeeded', { finished: daysAgo(10) }),
      await run('failed', { finished: daysAgo(8) }),
      await run('cancelled', { finished: daysAgo(30) }),
    ];
    const recent = await run('succeeded', { finished: daysAgo(2) });
    const active = [await run('queued'), await run('running'), await run('waiting')];
    const folder = folderWith([...expired, recent, ...active]);
    fs.mkdirSync(path.join(folder, 'not-a-run'));
    fs.writeFileSync(path.join(folder, 'stray.bin'), 'x');

    const first = await sweepHttpFiles(bench.services.pool, folder, 7, now);
    expect(sorted(first.deleted)).toEqual(sorted(expired));
    expect(first.failed).toEqual([]);
    expect(left(folder)).toEqual(sorted([recent, ...active, 'not-a-run', 'stray.bin']));

    // However far ahead: a queued, running or waiting run keeps its folder.
    const later = await sweepHttpFiles(bench.services.pool, folder, 7, new Date(now.getTime() + 1000 * DAY));
    expect(later.deleted).toEqual([recent]);
    expect(left(folder)).toEqual(sorted([...active, 'not-a-run', 'stray.bin']));
  });

  it('keeps a folder while a retry of its run, or the parent that called it, is unfinished or recent', async () => {
    const retried = await run('failed', { finished: daysAgo(10) });
    await run('running', { retryOf: retried });
    // A retry of a retry reads the first run's files too.
    const first = await run('failed', { finished: daysAgo(20) });
    const second = await run('failed', { finished: daysAgo(15), retryOf: first });
    await run('waiting', { retryOf: second });
    const child = await run('succeeded', { finished: daysAgo(10), parent: await run('running') });
    const childOfRecent = await run('succeeded', { finished: daysAgo(10), parent: await run('succeeded', { finished: daysAgo(3) }) });
    // Once the whole family is past the period, the folders go.
    const old = await run('failed', { finished: daysAgo(20) });
    const oldRetry = await run('succeeded', { finished: daysAgo(12), retryOf: old });
    const folder = folderWith([retried, first, second, child, childOfRecent, old, oldRetry]);

    const result = await sweepHttpFiles(bench.services.pool, folder, 7, now);
    expect(sorted(result.deleted)).toEqual(sorted([old, oldRetry]));
    expect(left(folder)).toEqual(sorted([retried, first, second, child, childOfRecent]));
  });

  it('deletes the folder of a run no longer in khaosflow.runs once the folder is older than the period', async () => {
    const deletedRun = await run('succeeded', { finished: daysAgo(1) });
    const neverKnown = randomUUID();
    const fresh = randomUUID();
    const folder = folderWith([deletedRun, neverKnown, fresh]);
    await bench.services.pool.query('delete from khaosflow.runs where id = $1', [deletedRun]);
    for (const id of [deletedRun, neverKnown]) fs.utimesSync(path.join(folder, id), daysAgo(9), daysAgo(9));

    const result = await sweepHttpFiles(bench.services.pool, folder, 7, now);
    expect(sorted(result.deleted)).toEqual(sorted([deletedRun, neverKnown]));
    // Perhaps another installation's download, written just now: not ours to judge yet.
    expect(left(folder)).toEqual([fresh]);
  });

  it('deletes nothing when the period is 0, and copes with no folder at all', async () => {
    const expired = await run('succeeded', { finished: daysAgo(100) });
    const gone = randomUUID();
    const folder = folderWith([expired, gone]);
    fs.utimesSync(path.join(folder, gone), daysAgo(100), daysAgo(100));
    expect(await sweepHttpFiles(bench.services.pool, folder, 0, now)).toEqual({ deleted: [], failed: [] });
    expect(left(folder)).toEqual(sorted([expired, gone]));
    expect(await sweepHttpFiles(bench.services.pool, path.join(folder, 'missing'), 7, now)).toEqual({ deleted: [], failed: [] });
  });

  it('removes a real download once its run is past the period', async () => {
    const { run: done, last } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/report.pdf`,
    );
    expect(done.status).toBe('succeeded');
    const file = (last.output as { body: { file: string } }).body.file;
    expect(path.dirname(file)).toBe(path.join(httpFilesDir(home), done.id));
    expect((await sweepHttpFiles(bench.services.pool, httpFilesDir(home), 7, new Date())).deleted).toEqual([]);
    expect(fs.existsSync(file)).toBe(true);
    const eightDaysOn = new Date(Date.now() + 8 * DAY);
    expect((await sweepHttpFiles(bench.services.pool, httpFilesDir(home), 7, eightDaysOn)).deleted).toEqual([done.id]);
    expect(fs.existsSync(path.dirname(file))).toBe(false);
  });

  it('reads the period from KHAOSFLOW_HTTP_FILES_RETENTION_DAYS, 7 days unless set', () => {
    expect(retentionDaysFrom({})).toBe(7);
    expect(retentionDaysFrom({ KHAOSFLOW_HTTP_FILES_RETENTION_DAYS: '30' })).toBe(30);
    expect(retentionDaysFrom({ KHAOSFLOW_HTTP_FILES_RETENTION_DAYS: '0' })).toBe(0);
    for (const bad of ['-1', '1.5', 'a week']) {
      expect(() => retentionDaysFrom({ KHAOSFLOW_HTTP_FILES_RETENTION_DAYS: bad })).toThrow(
        `KHAOSFLOW_HTTP_FILES_RETENTION_DAYS must be a whole number of days (0 keeps downloaded HTTP answers forever), got "${bad}".`,
      );
    }
  });

  it('is swept by every worker process, starting when it starts', async () => {
    const workerHome = tempDir('kf-http-retention-worker-');
    made.push(workerHome);
    const expired = await run('succeeded', { finished: daysAgo(10) });
    const running = await run('running');
    const folder = httpFilesDir(workerHome);
    for (const id of [expired, running]) fs.mkdirSync(path.join(folder, id), { recursive: true });
    const worker = await startTestNode({
      databaseUrl: bench.tdb.url,
      http: false,
      worker: true,
      singletons: false,
      env: { KHAOSFLOW_HOME: workerHome },
    });
    try {
      await expect.poll(() => fs.existsSync(path.join(folder, expired)), { timeout: 20_000 }).toBe(false);
    } finally {
      // Stopping waits for a sweep in progress, so what is left is what the sweep kept.
      await worker.stop();
    }
    expect(left(folder)).toEqual([running]);
  });
});
