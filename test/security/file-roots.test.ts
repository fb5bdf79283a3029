// File actions stay inside the file roots even when the disk changes under them: the
// shared OS temp folder is not a default root (any local user can plant links there),
// and a file swapped for a symbolic link after the path was checked is refused when
// it is opened (O_NOFOLLOW, then the open descriptor's real path is checked again).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileWriteAction } from '../../server/actions/files/write.js';
import { openLocation } from '../../server/files/open-location.js';
import { fileRoots } from '../../server/files/roots.js';
import { runAction, testContext } from '../actions/files/action-context.js';

let base: string;
let root: string;
let outside: string;
const savedRoots = process.env.KHAOSFLOW_FILE_ROOTS;

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-sec-roots-'));
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  for (const dir of [root, outside]) fs.mkdirSync(dir);
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'not for workflows');
  process.env.KHAOSFLOW_FILE_ROOTS = root;
});

afterAll(() => {
  if (savedRoots === undefined) delete process.env.KHAOSFLOW_FILE_ROOTS;
  else process.env.KHAOSFLOW_FILE_ROOTS = savedRoots;
  fs.rmSync(base, { recursive: true, force: true });
});

describe('default file roots', () => {
  it('are only $KHAOSFLOW_HOME/files, not the shared OS temp folder', async () => {
    expect(fileRoots({}, '/srv/kf')).toEqual({ folders: ['/srv/kf/files'], from: 'default' });
    const home = path.join(base, 'home');
    const saved = process.env.KHAOSFLOW_FILE_ROOTS;
    delete process.env.KHAOSFLOW_FILE_ROOTS;
    try {
      await expect(
        runAction(fileWriteAction, testContext({ home }), { path: path.join(base, 'in-temp.txt'), content: 'x' }),
      ).rejects.toThrow(/outside the file roots .*files \(the default; set KHAOSFLOW_FILE_ROOTS/);
      expect(fs.existsSync(path.join(base, 'in-temp.txt'))).toBe(false);
    } finally {
      process.env.KHAOSFLOW_FILE_ROOTS = saved;
    }
  });
});

describe('a symbolic link swapped in after the check', () => {
  it('is refused when the file is read', async () => {
    const target = path.join(root, 'report.txt');
    fs.writeFileSync(target, 'inside');
    const { store, path: checked } = await openLocation(testContext(), target, undefined);
    fs.rmSync(target);
    fs.symlinkSync(path.join(outside, 'secret.txt'), target);
    const read = store.read(checked, new AbortController().signal).then(async ({ stream }) => text(stream));
    await expect(read).rejects.toThrow(/report\.txt is a symbolic link.*file roots/);
  });

  it('is refused when a folder on the way is swapped for a link out of the roots', async () => {
    const folder = path.join(root, 'inbox');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'secret.txt'), 'inside');
    const { store, path: checked } = await openLocation(testContext(), path.join(folder, 'secret.txt'), undefined);
    fs.rmSync(folder, { recursive: true });
    fs.symlinkSync(outside, folder);
    const read = store.read(checked, new AbortController().signal).then(async ({ stream }) => text(stream));
    await expect(read).rejects.toThrow(/leads outside the file roots.*secret\.txt/);
  });

  it('is refused when a file is written through a folder swapped for a link', async () => {
    const folder = path.join(root, 'outbox');
    fs.mkdirSync(folder);
    const { store, path: checked } = await openLocation(testContext(), path.join(folder, 'planted.txt'), undefined);
    fs.rmSync(folder, { recursive: true });
    fs.symlinkSync(outside, folder);
    await expect(
      store.write(checked, Readable.from(['x']), { mode: 'overwrite', size: null, signal: new AbortController().signal }),
    ).rejects.toThrow(/leads outside the file roots/);
    expect(fs.readdirSync(outside)).toEqual(['secret.txt']);
  });

  it('is refused when a file is appended to through a link', async () => {
    const target = path.join(root, 'log.txt');
    fs.writeFileSync(target, 'a');
    const { store, path: checked } = await openLocation(testContext(), target, undefined);
    fs.rmSync(target);
    fs.symlinkSync(path.join(outside, 'secret.txt'), target);
    await expect(
      store.write(checked, Readable.from(['x']), { mode: 'append', size: null, signal: new AbortController().signal }),
    ).rejects.toThrow(/log\.txt is a symbolic link/);
    expect(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('not for workflows');
  });
});
