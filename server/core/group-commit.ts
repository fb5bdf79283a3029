// Group commit for writes many callers make at once: what is submitted while a write
// is in flight (or in the same turn of the event loop) goes into the next write, one
// statement and one commit for all of it. At most one write is in flight, so the batch
// size follows the load by itself (1 when idle: a lone caller waits for no timer).
// Each caller's promise settles only after the write holding its item committed.

export interface GroupCommitOptions<T, R> {
  /** Writes a batch; answers the batch's items in order. */
  write(batch: T[]): Promise<R[]>;
  /**
   * Writes one item in a statement of its own: when a whole batch fails, one item may
   * be at fault (a value Postgres refuses), so each is tried alone and only the bad one
   * hears its error.
   */
  writeAlone(item: T): Promise<R>;
  maxBatch: number;
}

/**
 * Returns the function callers submit their items to.
 * @example const finish = groupCommit({ write: finishMany, writeAlone: finishOne, maxBatch: 128 }); await finish(run)
 */
export function groupCommit<T, R>(opts: GroupCommitOptions<T, R>): (item: T) => Promise<R> {
  let pending: Array<{ item: T; resolve(r: R): void; reject(err: unknown): void }> = [];
  let busy = false;
  const flush = async () => {
    while (pending.length > 0) {
      const batch = pending.slice(0, opts.maxBatch);
      pending = pending.slice(batch.length);
      try {
        const results = await opts.write(batch.map((p) => p.item));
        for (const [i, p] of batch.entries()) p.resolve(results[i]!);
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(err);
        else await Promise.all(batch.map((p) => opts.writeAlone(p.item).then(p.resolve, p.reject)));
      }
    }
    busy = false;
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (!busy) {
        busy = true;
        setImmediate(() => void flush());
      }
    });
}
