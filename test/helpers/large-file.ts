// Big test files without holding them in memory: one random MiB, each copy stamped
// with its index, written as a stream. Shared by the memory test and bench/files.ts.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';

export const MB = 1024 * 1024;

/** Writes `size` bytes to `file`; resolves to their sha256 (hex). */
export async function generateFile(file: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const block = randomBytes(MB);
  const out = fs.createWriteStream(file);
  for (let i = 0; i * MB < size; i++) {
    const chunk = Buffer.from(block.subarray(0, Math.min(MB, size - i * MB)));
    chunk.writeUInt32BE(i, 0);
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return hash.digest('hex');
}
