-- What the trigger listeners remember between restarts, so that no event is lost or
-- run twice: the last schedule tick run, the database triggers installed in target
-- databases, the files a watcher has seen. Runs themselves are deduplicated with
-- khaosflow.runs.dedupe_key (schedule:<tick>, database:<event uid>, file:<...>).

-- Every change to a workflow row (apply, enable/disable, or an UPDATE typed in psql)
-- wakes the listeners: webhook route tables, the scheduler, database triggers and
-- file watchers rebuild from the current definitions. Notifications with the same
-- payload in one transaction are delivered once, so the explicit pg_notify of
-- applyWorkflow costs nothing extra.
create function khaosflow.workflows__notify_change() returns trigger
language plpgsql as $$
begin
  perform pg_notify('khaosflow_workflows', coalesce(new.slug, old.slug));
  return null;
end $$;

create trigger workflows__notify_change
  after insert or update or delete on khaosflow.workflows
  for each row execute function khaosflow.workflows__notify_change();

-- The last tick of each schedule that was run (or deliberately skipped by its catch_up
-- policy). Ticks after max(last_tick, the workflow's updated_at) and up to now are due.
create table khaosflow.schedule_state (
  workflow_id bigint primary key references khaosflow.workflows (id) on delete cascade,
  last_tick   timestamptz not null,
  updated_at  timestamptz not null default now()
);

-- Runs the tick of a schedule and remembers it, in one statement: the dedupe key
-- makes a tick run once however many schedulers see it.
create function khaosflow.run_schedule_tick(workflow text, tick timestamptz, trigger jsonb)
returns uuid
language plpgsql volatile as $$
declare
  v_run uuid;
begin
  v_run := khaosflow.trigger_run(workflow, 'schedule', trigger,
                                 'schedule:' || to_char(tick at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
  perform khaosflow.skip_schedule_ticks(workflow, tick);
  return v_run;
end $$;

-- Moves a schedule's last tick forward without running it (catch_up none/latest).
create function khaosflow.skip_schedule_ticks(workflow text, up_to timestamptz)
returns void
language sql volatile as $$
  insert into khaosflow.schedule_state (workflow_id, last_tick)
  select id, up_to from khaosflow.workflows where slug = workflow
  on conflict (workflow_id) do update
    set last_tick = greatest(khaosflow.schedule_state.last_tick, excluded.last_tick), updated_at = now()
$$;

-- One row per workflow whose database trigger is installed (or failed to install) in
-- a target database. `connection` is null for KhaosFlow's own database. The SQL
-- triggers themselves live in the target: khaosflow_events.capture() writes each row
-- change into khaosflow_events.events in the writer's transaction.
create table khaosflow.db_trigger_installs (
  workflow_id   bigint primary key references khaosflow.workflows (id) on delete cascade,
  workflow_slug text not null,
  connection    text,
  table_schema  text not null,
  table_name    text not null,
  events        text[] not null,
  filter        text,
  -- The WHEN condition as installed (bare columns rewritten to NEW./OLD.).
  condition     text,
  trigger_names text[] not null default '{}',
  status        text not null check (status in ('installed', 'failed')),
  error         text,
  -- True when the failure may pass by itself (target unreachable): retried on every sweep.
  retryable     boolean not null default false,
  installed_at  timestamptz,
  updated_at    timestamptz not null default now()
);

-- What a file watcher has seen: a file whose size and mtime match its row has been
-- handled; a new or changed one fires. Files created while KhaosFlow was down are
-- found by the start-up scan.
create table khaosflow.file_watch_state (
  workflow_id bigint not null references khaosflow.workflows (id) on delete cascade,
  path        text not null,
  size        bigint not null,
  mtime       timestamptz not null,
  seen_at     timestamptz not null default now(),
  primary key (workflow_id, path)
);

-- For psql: what each trigger listener is doing.
create view khaosflow.trigger_overview as
select w.slug as workflow, w.enabled, v.definition -> 'trigger' ->> 'type' as trigger_type,
       s.last_tick,
       d.status as db_trigger_status, d.error as db_trigger_error,
       (select count(*) from khaosflow.file_watch_state f where f.workflow_id = w.id) as files_seen
  from khaosflow.workflows w
  join khaosflow.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
  left join khaosflow.schedule_state s on s.workflow_id = w.id
  left join khaosflow.db_trigger_installs d on d.workflow_id = w.id;
