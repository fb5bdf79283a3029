// A signature over a signed time is accepted once within its window (issue 18, finding
// 4): it is remembered in Postgres so that every process refuses the replay. The row
// is written before the run is committed (two identical requests racing: one wins);
// if committing the run then fails, the row is removed so the sender's retry works.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { HttpError } from '../../core/http-error.js';

const PRUNE_EVERY_MS = 60_000;
let lastPrune = 0;

function hashOf(signature: string): Buffer {
  return createHash('sha256').update(signature).digest();
}

/** Throws 401 when this signature was already used for `slug` and its window has not ended. */
export async function rememberSignature(pool: pg.Pool, slug: string, signature: string, until: Date): Promise<void> {
  // An expired row for the same signature is taken over (the where clause), a live one is a replay.
  const res = await pool.query(
    `insert into khaosflow.webhook_signatures_seen (workflow_slug, signature_hash, expires_at) values ($1, $2, $3)
     on conflict (workflow_slug, signature_hash) do update set expires_at = excluded.expires_at
       where khaosflow.webhook_signatures_seen.expires_at < now()
     returning 1`,
    [slug, hashOf(signature), until],
  );
  if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
    lastPrune = Date.now();
    void pool.query('delete from khaosflow.webhook_signatures_seen where expires_at < now()').catch(() => undefined);
  }
  if (res.rowCount === 0) {
    throw new HttpError(
      401,
      'replayed_signature',
      'This signature was already used: each signed request is accepted once. Sign every request anew (with a new timestamp) when sending it.',
    );
  }
}

/** Forgets a signature whose run could not be committed, so the sender's retry is not taken for a replay. */
export async function forgetSignature(pool: pg.Pool, slug: string, signature: string): Promise<void> {
  await pool.query('delete from khaosflow.webhook_signatures_seen where workflow_slug = $1 and signature_hash = $2', [
    slug,
    hashOf(signature),
  ]);
}
