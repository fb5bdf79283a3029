// FTP and FTPS (basic-ftp). One control connection runs one transfer at a time, so
// each side of a step's transfer opens its own store. Uploads go to a partial name in
// the target folder and are renamed when complete; an aborted upload closes the
// connection, so its partial file is removed through a fresh one.
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Client, FileType, type AccessOptions, type FileInfo } from 'basic-ftp';
import { NonRetryableError } from '../core/errors.js';
import { connectError } from './connect-error.js';
import { isPartialName, partialPath } from './partial-name.js';
import type { FileEntry, FileStore } from './store.js';

export interface FtpAccess {
  options: AccessOptions;
  /** `ftp://host:port` (no credentials), prefixed to paths in outputs. */
  base: string;
}

const posix = path.posix;

function ftpCode(err: unknown): number | undefined {
  return (err as { code?: number }).code;
}

async function connect(access: FtpAccess): Promise<{ client: Client; home: string }> {
  const client = new Client(30_000);
  try {
    await client.access(access.options);
  } catch (err) {
    client.close();
    throw connectError('ftp', access.base, err);
  }
  // ensureDir() changes folder; relative paths stay relative to where the login started.
  return { client, home: await client.pwd() };
}

/** Runs `work` with the client, closing the connection when `signal` aborts (basic-ftp has no signal of its own). */
async function abortable<T>(client: Client, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  signal.throwIfAborted();
  const onAbort = () => client.close();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await work();
  } catch (err) {
    throw signal.aborted ? signal.reason : err;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

export async function openFtpStore(access: FtpAccess): Promise<FileStore> {
  let { client, home } = await connect(access);
  const display = (p: string) => `${access.base}${p.startsWith('/') ? '' : '/'}${p}`;
  const entryOf = (dir: string, info: FileInfo): FileEntry => ({
    name: info.name,
    path: display(posix.join(dir, info.name)),
    type: info.type === FileType.File ? 'file' : info.type === FileType.Directory ? 'directory' : 'other',
    size: info.type === FileType.File ? info.size : null,
    modified: info.modifiedAt?.toISOString() ?? null,
  });
  // A closed client (abort, timeout) is reopened for the next operation.
  const ready = async () => {
    if (client.closed) ({ client, home } = await connect(access));
    return client;
  };
  const stat = async (p: string): Promise<FileEntry | null> => {
    const dir = posix.dirname(p);
    const name = posix.basename(p);
    try {
      const found = (await (await ready()).list(dir)).find((f) => f.name === name);
      return found ? entryOf(dir, found) : null;
    } catch (err) {
      if (ftpCode(err) === 550) return null;
      throw err;
    }
  };
  const ensureFolder = async (c: Client, p: string) => {
    const dir = posix.dirname(p);
    if (dir === '.' || dir === '/') return;
    await c.ensureDir(dir);
    await c.cd(home);
  };
  const removePartial = async (partial: string) => {
    try {
      await (await ready()).remove(partial, true);
    } catch {
      // The partial name never looks like a finished file; a failed cleanup leaves only that.
    }
  };

  return {
    display,
    async read(p, signal) {
      const c = await ready();
      const found = await stat(p);
      if (!found) throw new NonRetryableError(`${display(p)} does not exist.`);
      if (found.type === 'directory') throw new NonRetryableError(`${display(p)} is a folder, not a file.`);
      const stream = new PassThrough();
      void abortable(c, signal, () => c.downloadTo(stream, p)).then(
        () => stream.end(),
        (err: unknown) => stream.destroy(err as Error),
      );
      return { stream, size: found.size };
    },
    async write(p, source, opts) {
      const c = await ready();
      await ensureFolder(c, p);
      if (opts.mode === 'append') {
        await abortable(c, opts.signal, () => c.appendFrom(source, p));
        return;
      }
      if (opts.mode === 'create' && (await stat(p)))
        throw new NonRetryableError(`${display(p)} already exists; use mode: overwrite (or overwrite: true) to replace it.`);
      const partial = partialPath(p, true);
      try {
        await abortable(c, opts.signal, () => c.uploadFrom(source, partial));
        await c.rename(partial, p);
      } catch (err) {
        source.destroy();
        await removePartial(partial);
        throw err;
      }
    },
    stat,
    async list(p, recursive) {
      const out: FileEntry[] = [];
      const walk = async (dir: string) => {
        let infos: FileInfo[];
        try {
          infos = await (await ready()).list(dir);
        } catch (err) {
          if (ftpCode(err) === 550) throw new NonRetryableError(`The folder ${display(dir)} does not exist.`);
          throw err;
        }
        for (const info of infos.sort((a, b) => a.name.localeCompare(b.name))) {
          if (isPartialName(info.name) || info.name === '.' || info.name === '..') continue;
          if (recursive && info.type === FileType.Directory) await walk(posix.join(dir, info.name));
          else if (!recursive || info.type === FileType.File) out.push(entryOf(dir, info));
        }
      };
      await walk(p);
      return out;
    },
    async remove(p) {
      const found = await stat(p);
      if (!found) return false;
      if (found.type === 'directory') throw new NonRetryableError(`${display(p)} is a folder; file_delete deletes files only.`);
      await (await ready()).remove(p);
      return true;
    },
    async rename(from, to, overwrite) {
      if (!(await stat(from))) throw new NonRetryableError(`${display(from)} does not exist.`);
      if (!overwrite && (await stat(to))) throw new NonRetryableError(`${display(to)} already exists; set overwrite: true to replace it.`);
      const c = await ready();
      await ensureFolder(c, to);
      await c.rename(from, to);
    },
    async close() {
      client.close();
    },
  };
}
