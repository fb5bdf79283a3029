import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileDeleteAction } from '../../../server/actions/files/delete.js';
import { fileListAction } from '../../../server/actions/files/list.js';
import { fileReadAction } from '../../../server/actions/files/read.js';
import { fileCopyAction, fileMoveAction } from '../../../server/actions/files/transfer.js';
import { fileWriteAction } from '../../../server/actions/files/write.js';
import { openLocation } from '../../../server/files/open-location.js';
import { runAction, testContext } from './action-context.js';

let base: string;
let root: string;
let other: string;
let outside: string;
const savedRoots = process.env.KHAOSFLOW_FILE_ROOTS;

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-local-'));
  root = path.join(base, 'root');
  other = path.join(base, 'second-root');
  outside = path.join(base, 'outside');
  for (const dir of [root, other, outside]) fs.mkdirSync(dir);
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'not for workflows');
  process.env.KHAOSFLOW_FILE_ROOTS = `${root}:${other}`;
});

afterAll(() => {
  if (savedRoots === undefined) delete process.env.KHAOSFLOW_FILE_ROOTS;
  else process.env.KHAOSFLOW_FILE_ROOTS = savedRoots;
  fs.rmSync(base, { recursive: true, force: true });
});

const ctx = () => testContext();

describe('local files inside the file roots', () => {
  it('writes text, reads it back and reports size and sha256', async () => {
    const target = path.join(root, 'reports', 'daily.json');
    const { output } = await runAction(fileWriteAction, ctx(), { path: target, content: '{"ok":true}', encoding: 'utf8' });
    expect(output).toEqual({
      path: target,
      bytes: 11,
      sha256: createHash('sha256').update('{"ok":true}').digest('hex'),
      mode: 'overwrite',
    });
    const read = await runAction(fileReadAction, ctx(), { path: target, parse: 'json' });
    expect(read.result).toEqual({ ok: true });
    expect(read.output).toMatchObject({ path: target, size: 11, encoding: 'utf8' });
  });

  it('writes a value that is not text as JSON', async () => {
    const target = path.join(root, 'value.json');
    await runAction(fileWriteAction, ctx(), { path: target, content: { order: 7, items: ['a'] } });
    expect(JSON.parse(fs.readFileSync(target, 'utf8'))).toEqual({ order: 7, items: ['a'] });
  });

  it('decodes base64 content into bytes and reads bytes back as base64', async () => {
    const bytes = Buffer.from([0, 255, 1, 254, 10, 13]);
    const target = path.join(root, 'bytes.bin');
    await runAction(fileWriteAction, ctx(), { path: target, content: bytes.toString('base64'), encoding: 'base64' });
    expect(fs.readFileSync(target)).toEqual(bytes);
    const { result } = await runAction(fileReadAction, ctx(), { path: target, encoding: 'base64' });
    expect(result).toBe(bytes.toString('base64'));
  });

  it('parses CSV with quoted fields into rows, and text into lines', async () => {
    const target = path.join(root, 'orders.csv');
    await runAction(fileWriteAction, ctx(), { path: target, content: 'id,name\r\n1,"Smith, ""J"""\r\n2,Ada\r\n' });
    expect((await runAction(fileReadAction, ctx(), { path: target, parse: 'csv' })).result).toEqual([
      { id: '1', name: 'Smith, "J"' },
      { id: '2', name: 'Ada' },
    ]);
    expect((await runAction(fileReadAction, ctx(), { path: target, parse: 'lines' })).result).toEqual([
      'id,name',
      '1,"Smith, ""J"""',
      '2,Ada',
    ]);
  });

  it('appends, and refuses to replace a file in create mode', async () => {
    const target = path.join(root, 'log.txt');
    await runAction(fileWriteAction, ctx(), { path: target, content: 'one\n', mode: 'create' });
    await runAction(fileWriteAction, ctx(), { path: target, content: 'two\n', mode: 'append' });
    expect(fs.readFileSync(target, 'utf8')).toBe('one\ntwo\n');
    await expect(runAction(fileWriteAction, ctx(), { path: target, content: 'three', mode: 'create' })).rejects.toThrow(
      /already exists; use mode: overwrite/,
    );
    expect(fs.readFileSync(target, 'utf8')).toBe('one\ntwo\n');
  });

  it('takes a relative path inside the first root', async () => {
    const { output } = await runAction(fileWriteAction, ctx(), { path: 'relative/note.txt', content: 'hi' });
    expect(output.path).toBe(path.join(fs.realpathSync(root), 'relative', 'note.txt'));
    expect(fs.readFileSync(path.join(root, 'relative', 'note.txt'), 'utf8')).toBe('hi');
  });

  it('lists a folder, filters by pattern, recurses, and deletes', async () => {
    const dir = path.join(other, 'inbox');
    fs.mkdirSync(path.join(dir, 'nested'), { recursive: true });
    for (const name of ['a.csv', 'b.csv', 'c.txt', 'nested/d.csv']) fs.writeFileSync(path.join(dir, name), name);
    const flat = await runAction(fileListAction, ctx(), { path: dir });
    expect(flat.result.map((f: { name: string; type: string }) => `${f.name}:${f.type}`)).toEqual([
      'a.csv:file',
      'b.csv:file',
      'c.txt:file',
      'nested:directory',
    ]);
    const csv = await runAction(fileListAction, ctx(), { path: dir, pattern: '*.csv', recursive: true });
    expect(csv.result.map((f: { path: string }) => path.relative(dir, f.path))).toEqual(['a.csv', 'b.csv', path.join('nested', 'd.csv')]);
    expect(csv.output.count).toBe(3);

    expect((await runAction(fileDeleteAction, ctx(), { path: path.join(dir, 'c.txt') })).output).toMatchObject({ deleted: true });
    expect(fs.existsSync(path.join(dir, 'c.txt'))).toBe(false);
    await expect(runAction(fileDeleteAction, ctx(), { path: path.join(dir, 'c.txt') })).rejects.toThrow(
      /does not exist, so there is nothing to delete; add missing_ok: true/,
    );
    expect((await runAction(fileDeleteAction, ctx(), { path: path.join(dir, 'c.txt'), missing_ok: true })).output).toMatchObject({
      deleted: false,
    });
  });

  it('copies and moves between roots, refusing to overwrite when asked not to', async () => {
    const source = path.join(root, 'move-me.txt');
    fs.writeFileSync(source, 'payload');
    const copied = await runAction(fileCopyAction, ctx(), { source, destination: path.join(other, 'copy.txt') });
    expect(copied.output).toMatchObject({ bytes: 7, sha256: createHash('sha256').update('payload').digest('hex') });
    await expect(runAction(fileCopyAction, ctx(), { source, destination: path.join(other, 'copy.txt'), overwrite: false })).rejects.toThrow(
      /already exists/,
    );
    await runAction(fileMoveAction, ctx(), { source, destination: path.join(other, 'moved', 'here.txt') });
    expect(fs.existsSync(source)).toBe(false);
    expect(fs.readFileSync(path.join(other, 'moved', 'here.txt'), 'utf8')).toBe('payload');
  });
});

describe('confinement to the file roots', () => {
  it('refuses a path with .. even when it would land inside a root', async () => {
    await expect(runAction(fileReadAction, ctx(), { path: `${root}/../../etc/passwd` })).rejects.toThrow(
      /contains "\.\.", which file actions refuse/,
    );
    await expect(runAction(fileReadAction, ctx(), { path: '../../etc/passwd' })).rejects.toThrow(/contains "\.\."/);
    await expect(runAction(fileWriteAction, ctx(), { path: `${root}/a/../b.txt`, content: 'x' })).rejects.toThrow(/contains "\.\."/);
    expect(fs.existsSync(path.join(root, 'b.txt'))).toBe(false);
  });

  it('refuses paths outside every root and names the roots', async () => {
    await expect(runAction(fileReadAction, ctx(), { path: '/etc/passwd' })).rejects.toThrow(
      `is outside the file roots ${root}, ${other} (KHAOSFLOW_FILE_ROOTS)`,
    );
    await expect(runAction(fileDeleteAction, ctx(), { path: path.join(outside, 'secret.txt') })).rejects.toThrow(/outside the file roots/);
    expect(fs.existsSync(path.join(outside, 'secret.txt'))).toBe(true);
  });

  it('refuses a symbolic link that leads out of the roots, for reading and for writing through it', async () => {
    fs.symlinkSync(outside, path.join(root, 'escape'));
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'secret-link.txt'));
    await expect(runAction(fileReadAction, ctx(), { path: path.join(root, 'escape', 'secret.txt') })).rejects.toThrow(
      /leads outside the file roots through a symbolic link/,
    );
    await expect(runAction(fileReadAction, ctx(), { path: path.join(root, 'secret-link.txt') })).rejects.toThrow(
      /symbolic link \(it resolves to .*secret\.txt\)/,
    );
    await expect(runAction(fileWriteAction, ctx(), { path: path.join(root, 'escape', 'new.txt'), content: 'x' })).rejects.toThrow(
      /symbolic link/,
    );
    expect(fs.existsSync(path.join(outside, 'new.txt'))).toBe(false);
  });

  it('follows a symbolic link that stays inside the roots', async () => {
    fs.writeFileSync(path.join(other, 'shared.txt'), 'inside');
    fs.symlinkSync(path.join(other, 'shared.txt'), path.join(root, 'shared-link.txt'));
    expect((await runAction(fileReadAction, ctx(), { path: path.join(root, 'shared-link.txt') })).result).toBe('inside');
  });

  it('uses $KHAOSFLOW_HOME/files when KHAOSFLOW_FILE_ROOTS is not set', async () => {
    const home = path.join(base, 'home');
    delete process.env.KHAOSFLOW_FILE_ROOTS;
    try {
      const { output } = await runAction(fileWriteAction, testContext({ home }), {
        path: path.join(home, 'files', 'default-root.txt'),
        content: 'x',
      });
      expect(output.bytes).toBe(1);
      await expect(
        runAction(fileWriteAction, testContext({ home }), { path: '/var/lib/khaosflow-not-a-root/x.txt', content: 'x' }),
      ).rejects.toThrow(/outside the file roots .*\(the default; set KHAOSFLOW_FILE_ROOTS/);
      expect(fs.existsSync('/var/lib/khaosflow-not-a-root')).toBe(false);
    } finally {
      process.env.KHAOSFLOW_FILE_ROOTS = `${root}:${other}`;
    }
  });
});

describe('a write that does not finish', () => {
  it('never leaves the final name, nor its partial file, when aborted mid-stream', async () => {
    const controller = new AbortController();
    let chunks = 0;
    const source = new Readable({
      read() {
        if (chunks < 3) {
          chunks++;
          this.push(Buffer.alloc(64 * 1024, 1));
        } else controller.abort(new Error('step cancelled'));
      },
    });
    const target = path.join(root, 'aborted', 'big.bin');
    const { store, path: real } = await openLocation(testContext(), target, undefined);
    await expect(store.write(real, source, { mode: 'overwrite', size: null, signal: controller.signal })).rejects.toThrow();
    expect(chunks).toBe(3);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(path.dirname(target))).toEqual([]);
  });

  it('keeps an earlier complete file when its replacement fails', async () => {
    const target = path.join(root, 'kept.txt');
    fs.writeFileSync(target, 'complete');
    const source = new Readable({
      read() {
        this.destroy(new Error('source broke'));
      },
    });
    const { store, path: real } = await openLocation(testContext(), target, undefined);
    await expect(store.write(real, source, { mode: 'overwrite', size: null, signal: new AbortController().signal })).rejects.toThrow(
      'source broke',
    );
    expect(fs.readFileSync(target, 'utf8')).toBe('complete');
    expect(fs.readdirSync(root).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });
});
