// Test events ("Listen for a test event"): a capture opened for a workflow's webhook
// makes /hooks-test/<path> store what arrives as a sample instead of starting a run.
// Kept in Postgres so that any process may receive the test request.
import type pg from 'pg';
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

/** Opens (or reopens) the capture of `slug`; returns when it closes, or null when there is no such workflow. */
export async function openCapture(pool: pg.Pool, slug: string, ms = CAPTURE_MS): Promise<Date | null> {
  const res = await pool.query<{ open_until: Date }>(
    `insert into khaosflow.webhook_captures (workflow_id, open_until)
     select id, now() + make_interval(secs => $2::double precision / 1000) from khaosflow.workflows where slug = $1
     on conflict (workflow_id) do update set open_until = excluded.open_until
     returning open_until`,
    [slug, ms],
  );
  return res.rows[0]?.open_until ?? null;
}

/** Stores a sample if a capture is open for `slug` (null when none is); samples beyond the newest 10 are deleted. */
export async function recordSample(pool: pg.Pool, slug: string, trigger: WebhookPayload): Promise<{ id: string } | null> {
  const added = await pool.query<{ id: string; workflow_id: string }>(
    `insert into khaosflow.webhook_samples (workflow_id, trigger)
     select w.id, $2::jsonb from khaosflow.workflows w
       join khaosflow.webhook_captures c on c.workflow_id = w.id and c.open_until > now()
      where w.slug = $1
     returning id::text as id, workflow_id::text as workflow_id`,
    [slug, JSON.stringify(trigger)],
  );
  const row = added.rows[0];
  if (!row) return null;
  await pool.query(
    `delete from khaosflow.webhook_samples where workflow_id = $1
        and id not in (select id from khaosflow.webhook_samples where workflow_id = $1 order by id desc limit $2)`,
    [row.workflow_id, SAMPLES_KEPT],
  );
  return { id: row.id };
}

export async function listSamples(pool: pg.Pool, slug: string): Promise<WebhookSample[]> {
  const res = await pool.query<{ id: string; received_at: Date; trigger: WebhookPayload }>(
    `select s.id::text as id, s.received_at, s.trigger from khaosflow.webhook_samples s
       join khaosflow.workflows w on w.id = s.workflow_id
      where w.slug = $1 order by s.id desc limit $2`,
    [slug, SAMPLES_KEPT],
  );
  return res.rows.map((r) => ({ id: r.id, received_at: r.received_at.toISOString(), trigger: r.trigger }));
}
