// File watchers obey the file roots like file actions: a folder outside them, written
// with "..", or reached through a symbolic link leading out is not watched, and the
// refusal is logged at error level naming the roots and KHAOSFLOW_FILE_ROOTS; under a
// watched folder, linked files and folders that lead out start no run.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { applyYaml, runsOf, tempDir, waitForRunCount } from './helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let inside: string;
let outside: string;
const logs: string[] = [];

interface LogLine {
  level: number;
  msg: string;
  workflow?: string;
  file?: string;
}
const PINO_WARN = 40;
const PINO_ERROR = 50;
const logLines = () => logs.map((line) => JSON.parse(line) as LogLine);
const errorsOf = (slug: string) =>
  logLines()
    .filter((l) => l.level === PINO_ERROR && l.workflow === slug)
    .map((l) => l.msg);
const firedNames = async (slug: string) =>
  (await runsOf(tdb.db, slug)).map((r) => path.relative(inside, (r.trigger_data as { data: { path: string } }).data.path)).sort();
const seenPaths = async (slug: string) =>
  (
    await tdb.db
      .selectFrom('khaosflow.file_watch_state as f')
      .innerJoin('khaosflow.workflows as w', 'w.id', 'f.workflow_id')
      .select('f.path')
      .where('w.slug', '=', slug)
      .execute()
  )
    .map((r) => path.relative(inside, r.path))
    .sort();
const watcher = (name: string, folder: string, extra = '') =>
  `name: ${name}\ntrigger: { type: file_watcher, path: "${folder}", pattern: "*.csv", event: created, debounce: 100ms${extra} }\n`;

beforeAll(async () => {
  tdb = await createTestDatabase();
  inside = tempDir('kf-roots-in-');
  // In the OS temp folder, a default root: only KHAOSFLOW_FILE_ROOTS keeps it out.
  outside = tempDir('kf-roots-out-');
  fs.writeFileSync(path.join(outside, 'secret.csv'), 'top,secret\n');
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: false,
    worker: false,
    singletons: true,
    env: { KHAOSFLOW_FILE_ROOTS: inside },
    logSink: (line) => logs.push(line),
  });
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
  fs.rmSync(inside, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('file watcher and the file roots', () => {
  it('refuses a folder outside the roots with an error naming them, and keeps watching folders inside', async () => {
    await applyYaml(tdb.db, watcher('Outside Inbox', outside));
    await expect.poll(() => errorsOf('outside-inbox'), { timeout: 20_000 }).toHaveLength(1);
    const [message] = errorsOf('outside-inbox');
    expect(message).toContain(`The file_watcher folder "${outside}" is not watched: it is outside every file root.`);
    expect(message).toContain(`only watch inside the file roots: ${inside} (from KHAOSFLOW_FILE_ROOTS)`);
    expect(message).toContain('set KHAOSFLOW_FILE_ROOTS');

    const inbox = path.join(inside, 'inbox');
    fs.mkdirSync(inbox);
    await applyYaml(tdb.db, watcher('Inside Inbox', inbox));
    fs.writeFileSync(path.join(outside, 'later.csv'), 'x\n');
    fs.writeFileSync(path.join(inbox, 'a.csv'), 'id\n1\n');
    await waitForRunCount(tdb.db, 'inside-inbox', 1);
    expect(await firedNames('inside-inbox')).toEqual(['inbox/a.csv']);
    // secret.csv was there before the workflow: a running watch would have fired it at its first scan.
    expect(await runsOf(tdb.db, 'outside-inbox')).toEqual([]);
    expect(await seenPaths('outside-inbox')).toEqual([]);
    // Logged once, not on every retry.
    expect(errorsOf('outside-inbox')).toHaveLength(1);
  });

  it('refuses a folder written with "..", even when it would land inside a root', async () => {
    fs.mkdirSync(path.join(inside, 'dots'));
    const dotted = `${inside}/dots/../dots`;
    await applyYaml(tdb.db, watcher('Dotted Inbox', dotted));
    await expect.poll(() => errorsOf('dotted-inbox'), { timeout: 20_000 }).toHaveLength(1);
    expect(errorsOf('dotted-inbox')[0]).toContain(`The file_watcher folder "${dotted}" is not watched: it contains a ".." segment`);
  });

  it('refuses a folder reached through a symbolic link that leads out of the roots', async () => {
    const link = path.join(inside, 'linked-out');
    fs.symlinkSync(outside, link);
    await applyYaml(tdb.db, watcher('Linked Inbox', link));
    await expect.poll(() => errorsOf('linked-inbox'), { timeout: 20_000 }).toHaveLength(1);
    expect(errorsOf('linked-inbox')[0]).toContain(
      `The file_watcher folder "${link}" is not watched: it leads outside the file roots through a symbolic link (it resolves to ${fs.realpathSync(outside)})`,
    );
    expect(await runsOf(tdb.db, 'linked-inbox')).toEqual([]);
  });

  it('starts no run for linked files and folders under a watched folder that lead out of the roots', async () => {
    const tree = path.join(inside, 'tree');
    fs.mkdirSync(path.join(tree, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'ok.csv'), 'ok\n');
    fs.writeFileSync(path.join(tree, 'sub', 'deep.csv'), 'deep\n');
    fs.symlinkSync(path.join(tree, 'ok.csv'), path.join(tree, 'alias.csv'));
    fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(tree, 'leak.csv'));
    fs.symlinkSync(outside, path.join(tree, 'escape'));
    await applyYaml(tdb.db, watcher('Tree', tree, ', recursive: true'));

    // The escaping file is seen, and skipped with a warning...
    await expect
      .poll(
        () =>
          logLines()
            .filter((l) => l.level === PINO_WARN && l.workflow === 'tree')
            .map((l) => l.file),
        { timeout: 20_000 },
      )
      .toEqual([path.join(tree, 'leak.csv')]);
    // ...while files inside, a link that stays inside included, fire.
    await waitForRunCount(tdb.db, 'tree', 3);
    // A file written after the first scan fires after everything that scan found.
    fs.writeFileSync(path.join(tree, 'late.csv'), 'late\n');
    await waitForRunCount(tdb.db, 'tree', 4);
    expect(await firedNames('tree')).toEqual(['tree/alias.csv', 'tree/late.csv', 'tree/ok.csv', 'tree/sub/deep.csv']);
    expect(await seenPaths('tree')).toEqual(['tree/alias.csv', 'tree/late.csv', 'tree/ok.csv', 'tree/sub/deep.csv']);
  });

  it('records a refusal where the console and the API show it, and clears it once the workflow is fixed', async () => {
    const problemOf = async (slug: string) =>
      (await tdb.db
        .selectFrom('khaosflow.trigger_problems as p')
        .innerJoin('khaosflow.workflows as w', 'w.id', 'p.workflow_id')
        .select(['p.trigger_type', 'p.message'])
        .where('w.slug', '=', slug)
        .executeTakeFirst()) ?? null;
    await expect
      .poll(() => problemOf('outside-inbox'), { timeout: 20_000 })
      .toMatchObject({ trigger_type: 'file_watcher', message: expect.stringContaining('it is outside every file root') });
    expect(await problemOf('inside-inbox')).toBeNull();

    const fixed = path.join(inside, 'fixed');
    fs.mkdirSync(fixed);
    await applyYaml(tdb.db, watcher('Outside Inbox', fixed));
    await expect.poll(() => problemOf('outside-inbox'), { timeout: 20_000 }).toBeNull();
    fs.writeFileSync(path.join(fixed, 'b.csv'), 'id\n2\n');
    await waitForRunCount(tdb.db, 'outside-inbox', 1);
  });
});
