// File watchers: files that arrive while KhaosFlow is stopped fire once at start-up,
// a file still being written fires once when complete, and no file version fires twice.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { applyYaml, runsOf, tempDir, waitForRunCount } from './helpers.js';

let tdb: TestDatabase;
let node: TestNode | null = null;
let folder: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  folder = tempDir('kf-watch-');
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
  fs.rmSync(folder, { recursive: true, force: true });
});

// The watched folder is under the OS temp folder, which is no default file root.
const startKhaosFlow = () =>
  startTestNode({ databaseUrl: tdb.url, http: false, worker: false, singletons: true, env: { KHAOSFLOW_FILE_ROOTS: folder } });
type FileData = { path: string; name: string; size: number; mtime: string; event: string };
const dataOf = async (slug: string) => (await runsOf(tdb.db, slug)).map((r) => (r.trigger_data as { data: FileData }).data);
const seen = async (slug: string) =>
  (
    await tdb.db
      .selectFrom('khaosflow.file_watch_state as f')
      .innerJoin('khaosflow.workflows as w', 'w.id', 'f.workflow_id')
      .select(['f.path', 'f.size'])
      .where('w.slug', '=', slug)
      .execute()
  )
    .map((r) => path.basename(r.path))
    .sort();

describe('file watcher', () => {
  it('fires once for each file created while KhaosFlow was stopped', async () => {
    const inbox = path.join(folder, 'inbox');
    fs.mkdirSync(inbox);
    node = await startKhaosFlow();
    await applyYaml(
      tdb.db,
      `name: Csv Inbox\ntrigger: { type: file_watcher, path: "${inbox}", pattern: "*.csv", event: created, debounce: 200ms }\n`,
    );
    fs.writeFileSync(path.join(inbox, 'a.csv'), 'id\n1\n');
    await waitForRunCount(tdb.db, 'csv-inbox', 1);
    await node.stop();
    node = null;

    fs.writeFileSync(path.join(inbox, 'b.csv'), 'id\n2\n');
    fs.writeFileSync(path.join(inbox, 'c.csv'), 'id\n3\n33\n');
    fs.writeFileSync(path.join(inbox, 'notes.txt'), 'not a csv');
    node = await startKhaosFlow();
    await expect.poll(() => seen('csv-inbox'), { timeout: 20_000 }).toEqual(['a.csv', 'b.csv', 'c.csv']);
    const fired = await dataOf('csv-inbox');
    expect(fired.map((d) => d.name).sort()).toEqual(['a.csv', 'b.csv', 'c.csv']);
    const c = fired.find((d) => d.name === 'c.csv')!;
    expect(c).toEqual({
      path: path.join(inbox, 'c.csv'),
      name: 'c.csv',
      size: 8,
      mtime: new Date(Math.floor(fs.statSync(c.path).mtimeMs)).toISOString(),
      event: 'created',
    });
  });

  it('fires once, with the final size, for a file written in chunks', async () => {
    const drop = path.join(folder, 'drop');
    fs.mkdirSync(drop);
    await applyYaml(tdb.db, `name: Big Upload\ntrigger: { type: file_watcher, path: "${drop}", pattern: "*.csv", debounce: 3s }\n`);
    // The watcher is up once it has handled a file.
    fs.writeFileSync(path.join(drop, 'ready.csv'), 'x');
    await waitForRunCount(tdb.db, 'big-upload', 1, 20_000);

    const file = path.join(drop, 'large.csv');
    const fd = fs.openSync(file, 'w');
    const chunk = Buffer.alloc(64 * 1024, 'a');
    for (let i = 0; i < 12; i++) {
      fs.writeSync(fd, chunk);
      fs.fsyncSync(fd);
      // A slow writer: far less than the 3 s the file must hold still.
      await new Promise((r) => setTimeout(r, 50));
    }
    fs.closeSync(fd);
    await expect.poll(() => seen('big-upload'), { timeout: 20_000 }).toEqual(['large.csv', 'ready.csv']);
    const large = (await dataOf('big-upload')).filter((d) => d.name === 'large.csv');
    expect(large).toHaveLength(1);
    expect(large[0]!.size).toBe(12 * 64 * 1024);
  });

  it('fires modified and deleted events once per file version', async () => {
    const docs = path.join(folder, 'docs');
    fs.mkdirSync(docs);
    const file = path.join(docs, 'report.json');
    fs.writeFileSync(file, '{"v":1}');
    await applyYaml(
      tdb.db,
      `name: Doc Changes\ntrigger: { type: file_watcher, path: "${docs}", event: [created, modified, deleted], debounce: 200ms }\n`,
    );
    await waitForRunCount(tdb.db, 'doc-changes', 1);
    fs.writeFileSync(file, '{"v":2,"more":true}');
    await waitForRunCount(tdb.db, 'doc-changes', 2);
    fs.rmSync(file);
    await waitForRunCount(tdb.db, 'doc-changes', 3);
    expect((await dataOf('doc-changes')).map((d) => [d.event, d.size])).toEqual([
      ['created', 7],
      ['modified', 19],
      ['deleted', 19],
    ]);
    expect(await seen('doc-changes')).toEqual([]);
  });
});
