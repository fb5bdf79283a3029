-- Core tables: workflows and their versions, runs, step attempts, worker heartbeats.
-- Everything lives in schema "khaosflow" so an operator can inspect it from psql.

create schema if not exists khaosflow;

-- Time-ordered UUIDs (version 7): new runs land at the right edge of the primary-key
-- index, so inserts stay cheap and "latest runs" reads touch few pages however long
-- the history grows. Postgres 15 has no uuidv7(); the engine generates the same
-- layout in Node, this function serves SQL callers (khaosflow.start_run).
create function khaosflow.uuid_v7() returns uuid
language sql volatile parallel safe as $$
  select encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
              placing substring(int8send((extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
              from 1 for 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;

create table khaosflow.workflows (
  id              bigint generated always as identity primary key,
  slug            text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]*$'),
  name            text not null,
  description     text,
  enabled         boolean not null default true,
  current_version integer,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);

-- A version is immutable once written: runs pin the version they started with, so
-- editing a workflow never changes a run in flight.
create table khaosflow.workflow_versions (
  workflow_id bigint not null references khaosflow.workflows (id) on delete cascade,
  version     integer not null,
  source_yaml text not null,
  definition  jsonb not null,
  created_at  timestamptz not null default now(),
  created_by  text,
  primary key (workflow_id, version)
);

create table khaosflow.runs (
  id             uuid primary key default khaosflow.uuid_v7(),
  workflow_id    bigint not null references khaosflow.workflows (id) on delete cascade,
  version        integer not null,
  trigger_kind   text not null default 'manual',
  trigger_data   jsonb not null default '{}'::jsonb,
  status         text not null default 'queued'
                 check (status in ('queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled')),
  priority       integer not null default 0,
  dedupe_key     text,
  parent_run_id  uuid references khaosflow.runs (id) on delete set null,
  retry_of       uuid references khaosflow.runs (id) on delete set null,
  attempt        integer not null default 0,
  output         jsonb,
  error          jsonb,
  wake_at        timestamptz,
  created_at     timestamptz not null default now(),
  started_at     timestamptz,
  finished_at    timestamptz,
  foreign key (workflow_id, version) references khaosflow.workflow_versions (workflow_id, version)
);

create index runs_workflow_created_idx on khaosflow.runs (workflow_id, created_at desc);
create index runs_created_idx on khaosflow.runs (created_at desc);
-- Active runs are few while history is large: a partial index keeps "what is in
-- flight" queries independent of history size.
create index runs_active_idx on khaosflow.runs (status, created_at)
  where status in ('queued', 'running', 'waiting');
create unique index runs_dedupe_idx on khaosflow.runs (workflow_id, dedupe_key)
  where dedupe_key is not null;
create index runs_parent_idx on khaosflow.runs (parent_run_id) where parent_run_id is not null;

-- One row per attempt of a step. input/output/error are stored with secrets
-- already redacted.
create table khaosflow.step_runs (
  id          bigint generated always as identity primary key,
  run_id      uuid not null references khaosflow.runs (id) on delete cascade,
  step_path   text not null,
  step_slug   text not null,
  step_name   text not null,
  action_type text,
  attempt     integer not null default 1,
  status      text not null check (status in ('running', 'succeeded', 'failed', 'skipped', 'cancelled')),
  input       jsonb,
  output      jsonb,
  error       jsonb,
  logs        jsonb,
  started_at  timestamptz not null default now(),
  finished_at timestamptz
);

create index step_runs_run_idx on khaosflow.step_runs (run_id, id);

-- Heartbeats of running KhaosFlow processes. A live process releases the jobs of a
-- process whose heartbeat is stale, so a killed worker's runs resume in seconds.
create table khaosflow.workers (
  id                  text primary key,
  hostname            text not null,
  pid                 integer not null,
  kind                text not null,
  version             text not null,
  graphile_worker_ids text[] not null default '{}',
  started_at          timestamptz not null default now(),
  heartbeat_at        timestamptz not null default now()
);
