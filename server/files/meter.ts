// Counts and hashes the bytes that stream through a transfer, so outputs can say how
// much was moved and give a sha256 a later step (or a person) can check.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export class ByteMeter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    callback(null, chunk);
  }

  /** Only once the stream has ended. */
  sha256(): string {
    return this.hash.digest('hex');
  }
}
