// Test events ("Listen for a test event"): a capture opened for a workflow's webhook
// makes /hooks-test/<path> store what arrives as a sample instead of starting a run.
// Kept in Postgres so that any process may receive the test request. A capture for an
// unsaved draft carries the draft's trigger, used instead of the applied one.
import type pg from 'pg';
import type { WebhookTrigger } from '../../workflow/types.js';
import type { WebhookPayload } from './trigger-payload.js';

/** How long a capture stays open (the "up to 2 minutes"). */
export const CAPTURE_MS = 120_000;
/** Samples kept (and listed) per workflow. */
export const SAMPLES_KEPT = 10;

export interface WebhookSample {
  id: string;
  received_at: string;
  trigger: WebhookPayload;
}

/** Opens (or reopens) the capture of `slug`, for its draft trigger when given; returns when it closes. */
export async function openCapture(pool: pg.Pool, slug: string, draft: WebhookTrigger | null, ms = CAPTURE_MS): Promise<Date> {
  const res = await pool.query<{ open_until: Date }>(
    `insert into khaosflow.webhook_captures (workflow_slug, open_until, draft_trigger)
     values ($1, now() + make_interval(secs => $2::double precision / 1000), $3::jsonb)
     on conflict (workflow_slug) do update set open_until = excluded.open_until, draft_trigger = excluded.draft_trigger
     returning open_until`,
    [slug, ms, draft === null ? null : JSON.stringify(draft)],
  );
  return res.rows[0]!.open_until;
}

/** The open draft capture whose trigger serves `path` with `method`, if any. */
export async function draftCapture(pool: pg.Pool, path: string, method: string): Promise<{ slug: string; trigger: WebhookTrigger } | null> {
  const res = await pool.query<{ workflow_slug: string; draft_trigger: WebhookTrigger }>(
    `select workflow_slug, draft_trigger from khaosflow.webhook_captures
      where open_until > now() and draft_trigger->>'path' = $1 and draft_trigger->>'method' = $2
      order by open_until desc limit 1`,
    [path, method],
  );
  const row = res.rows[0];
  return row ? { slug: row.workflow_slug, trigger: row.draft_trigger } : null;
}

/** Stores a sample if a capture is open for `slug` (null when none is); samples beyond the newest 10 are deleted. */
export async function recordSample(pool: pg.Pool, slug: string, trigger: WebhookPayload): Promise<{ id: string } | null> {
  const added = await pool.query<{ id: string }>(
    `insert into khaosflow.webhook_samples (workflow_slug, trigger)
     select workflow_slug, $2::jsonb from khaosflow.webhook_captures where workflow_slug = $1 and open_until > now()
     returning id::text as id`,
    [slug, JSON.stringify(trigger)],
  );
  const row = added.rows[0];
  if (!row) return null;
  await pool.query(
    `delete from khaosflow.webhook_samples where workflow_slug = $1
        and id not in (select id from khaosflow.webhook_samples where workflow_slug = $1 order by id desc limit $2)`,
    [slug, SAMPLES_KEPT],
  );
  return { id: row.id };
}

export async function listSamples(pool: pg.Pool, slug: string): Promise<WebhookSample[]> {
  const res = await pool.query<{ id: string; received_at: Date; trigger: WebhookPayload }>(
    `select s.id::text as id, s.received_at, s.trigger from khaosflow.webhook_samples s
      where s.workflow_slug = $1 order by s.id desc limit $2`,
    [slug, SAMPLES_KEPT],
  );
  return res.rows.map((r) => ({ id: r.id, received_at: r.received_at.toISOString(), trigger: r.trigger }));
}
