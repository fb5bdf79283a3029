-- Webhook signatures over a signed time are accepted once: each is remembered here
-- until its tolerance window ends, so a captured request replayed inside the window is
-- refused by every process (issue 18, finding 4). Rows past expires_at are dead and
-- are pruned by the hooks router; an expired row is also taken over by a new insert.
create table khaosflow.webhook_signatures_seen (
  workflow_slug  text not null,
  signature_hash bytea not null,
  expires_at     timestamptz not null,
  primary key (workflow_slug, signature_hash)
);
create index webhook_signatures_seen_expiry_idx on khaosflow.webhook_signatures_seen (expires_at);

-- "Listen for a test event": while a capture is open (POST /api/workflows/<slug>/listen,
-- up to 2 minutes), requests to /hooks-test/<path> are stored as samples instead of
-- starting a run. A capture for an unsaved draft carries the draft's webhook trigger
-- (its path and authentication), so the workflow need not exist yet: both tables are
-- keyed by slug. Samples keep the trigger as the run would see it (credential headers
-- removed); the API lists the newest 10 and older ones are deleted.
create table khaosflow.webhook_captures (
  workflow_slug text primary key,
  open_until    timestamptz not null,
  draft_trigger jsonb
);

create table khaosflow.webhook_samples (
  id            bigserial primary key,
  workflow_slug text not null,
  received_at   timestamptz not null default now(),
  trigger       jsonb not null
);
create index webhook_samples_workflow_idx on khaosflow.webhook_samples (workflow_slug, id desc);
