// The operations every storage (local disk, S3, FTP, SFTP) offers file actions. A store
// is one open connection to one storage; actions open one per side of a transfer (FTP
// and SFTP run one transfer per connection) and close it when the step is done.
import type { Readable } from 'node:stream';

export interface FileEntry {
  name: string;
  /** The path as the step would write it (a URL for remote storage, no password). */
  path: string;
  type: 'file' | 'directory' | 'other';
  size: number | null;
  /** ISO 8601, when the storage says. */
  modified: string | null;
}

export interface WriteOptions {
  /** overwrite: replace; create: fail when the file exists; append: add to the end. */
  mode: 'overwrite' | 'create' | 'append';
  /** Bytes the source will give, when known (S3 then uploads in one request). */
  size: number | null;
  contentType?: string;
  signal: AbortSignal;
}

export interface FileStore {
  /** What `path` is called in outputs and messages. */
  display(path: string): string;
  /** A stream of the file's bytes; `size` when the storage says. Fails when it does not exist. */
  read(path: string, signal: AbortSignal): Promise<{ stream: Readable; size: number | null }>;
  /**
   * Writes `source` to `path` so that `path` only ever shows a complete file: the
   * bytes go to a partial name in the same folder (`.name.kf-xxxxxxxx.partial`),
   * renamed when complete and removed on failure. S3 needs no partial name: an
   * object appears only when its upload completes.
   */
  write(path: string, source: Readable, opts: WriteOptions): Promise<void>;
  /** null when nothing is there. */
  stat(path: string): Promise<FileEntry | null>;
  /** A folder's entries, or every file below it when `recursive`. */
  list(path: string, recursive: boolean): Promise<FileEntry[]>;
  /** false when there was nothing to delete. */
  remove(path: string): Promise<boolean>;
  /** Moves within this storage; `overwrite: false` fails when `to` exists. */
  rename(from: string, to: string, overwrite: boolean): Promise<void>;
  close(): Promise<void>;
}
