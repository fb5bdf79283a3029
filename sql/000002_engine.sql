-- The execution engine's SQL surface: enqueueing runs (also from users' own
-- transactions), cancelling and retrying them, and read-only views for psql.

-- Flow-control settings of a version, copied out of the definition so SQL callers
-- (khaosflow.start_run) enqueue with the same rules as the engine.
alter table khaosflow.workflow_versions
  add column concurrency integer check (concurrency > 0),
  add column queue_key   text,
  add column priority    integer not null default 0,
  add column timeout_ms  integer check (timeout_ms > 0);

alter table khaosflow.runs
  -- The call_workflow step of the parent run that started this run.
  add column parent_step text,
  -- Set while the run waits for a child run (call_workflow with wait).
  add column waiting_for uuid,
  -- The queue admitting the run: 'c:<workflow>' (concurrency) or 'q:<workflow>:<key>'.
  add column queue_name  text;

alter table khaosflow.step_runs
  -- Checkpoint copied from an earlier run by "retry from the failed step".
  add column carried_over boolean not null default false;

create index runs_queue_idx on khaosflow.runs (queue_name, status, id) where queue_name is not null;

create unique index runs_child_idx on khaosflow.runs (parent_run_id, parent_step)
  where parent_run_id is not null and parent_step is not null;

-- The one place a run's job is (re)created. The job key makes "one job per run"
-- hold: re-adding replaces a pending job (new run_at), and re-adding while the job
-- is being worked on leaves that one to finish and queues a fresh one.
create function khaosflow.add_run_job(run uuid, priority integer, run_at timestamptz default null)
returns void
language sql volatile as $$
  select graphile_worker.add_job('run', json_build_object('run_id', run),
    run_at => run_at, priority => -coalesce(priority, 0),
    job_key => 'run:' || run, max_attempts => 25) is null
$$;

-- Runs in a queue (`concurrency: N` -> 'c:<workflow>', `queue: <key>` ->
-- 'q:<workflow>:<key>') are admitted by khaosflow.claim_run. When one leaves the
-- queue (finished, parked, cancelled) the next queued one is pulled forward.
create function khaosflow.wake_queue(queue text)
returns void
language sql volatile as $$
  select khaosflow.add_run_job(n.id, n.priority, now())
    from (select id, priority from khaosflow.runs
           where queue_name = queue and status = 'queued' order by id limit 1) n
$$;

-- Takes a run for execution and returns it, or returns nothing when it is finished,
-- cancelled, not due yet, or its queue is full. A full queue reschedules the run's
-- job a few seconds out as a fallback; normally wake_queue pulls it forward sooner.
-- We admit runs here instead of using Graphile named queues because Graphile's
-- batched local queue may claim several jobs of one named queue together.
create function khaosflow.claim_run(p_run uuid)
returns setof khaosflow.runs
language plpgsql volatile as $$
declare
  r       khaosflow.runs;
  v_limit integer;
begin
  select * into r from khaosflow.runs where id = p_run for update;
  if not found or r.status not in ('queued', 'running', 'waiting')
     or (r.status = 'waiting' and r.wake_at is not null and r.wake_at > now() + interval '1 second') then
    return;
  end if;
  if r.queue_name is not null then
    -- One admission per queue at a time, so two workers cannot both take the last slot.
    perform pg_advisory_xact_lock(hashtext('khaosflow:queue:' || r.queue_name));
    v_limit := 1;
    if r.queue_name like 'c:%' then
      select coalesce(concurrency, 1) into v_limit from khaosflow.workflow_versions
       where workflow_id = r.workflow_id and version = r.version;
    end if;
    if (select count(*) from khaosflow.runs o
         where o.queue_name = r.queue_name and o.status = 'running' and o.id <> r.id) >= v_limit
       or (r.queue_name like 'q:%' and exists (
             select 1 from khaosflow.runs o
              where o.queue_name = r.queue_name and o.status = 'queued' and o.id < r.id)) then
      perform khaosflow.add_run_job(r.id, r.priority, now() + interval '5 seconds');
      return;
    end if;
  end if;
  update khaosflow.runs
     set status = 'running', started_at = coalesce(started_at, now()), attempt = attempt + 1, wake_at = null
   where id = p_run
  returning * into r;
  return next r;
end $$;

-- Creates a run and its job in the caller's transaction: a run exists exactly when its
-- job does. A repeated dedupe key returns the run created first.
create function khaosflow.enqueue_run(
  p_workflow_id  bigint,
  p_version      integer,
  p_trigger_kind text,
  p_trigger      jsonb,
  p_dedupe_key   text default null,
  p_parent_run   uuid default null,
  p_parent_step  text default null,
  p_retry_of     uuid default null,
  p_priority     integer default null,
  p_queue_name   text default null,
  p_run_at       timestamptz default null
) returns uuid
language plpgsql volatile as $$
declare
  v_id          uuid := khaosflow.uuid_v7();
  v_concurrency integer;
  v_priority    integer;
  v_queue       text;
begin
  select concurrency, priority into v_concurrency, v_priority
    from khaosflow.workflow_versions
   where workflow_id = p_workflow_id and version = p_version;
  if not found then
    raise exception 'workflow % has no version %', p_workflow_id, p_version using errcode = 'no_data_found';
  end if;
  v_priority := coalesce(p_priority, v_priority);
  v_queue := coalesce(p_queue_name, case when v_concurrency is not null then 'c:' || p_workflow_id end);

  insert into khaosflow.runs (id, workflow_id, version, trigger_kind, trigger_data, priority,
                              dedupe_key, parent_run_id, parent_step, retry_of, queue_name)
  values (v_id, p_workflow_id, p_version, p_trigger_kind, coalesce(p_trigger, '{}'::jsonb), v_priority,
          p_dedupe_key, p_parent_run, p_parent_step, p_retry_of, v_queue)
  on conflict do nothing;
  if not found then
    select id into v_id from khaosflow.runs
     where (p_dedupe_key is not null and workflow_id = p_workflow_id and dedupe_key = p_dedupe_key)
        or (p_parent_run is not null and parent_run_id = p_parent_run and parent_step = p_parent_step);
    return v_id;
  end if;

  perform khaosflow.add_run_job(v_id, v_priority, p_run_at);
  return v_id;
end $$;

-- Starts a run of the current version of an enabled workflow; what every trigger
-- calls. One statement, so accepting an event costs one commit.
create function khaosflow.trigger_run(workflow text, trigger_kind text, trigger jsonb, dedupe_key text default null)
returns uuid
language plpgsql volatile as $$
declare
  v_workflow khaosflow.workflows;
begin
  select * into v_workflow from khaosflow.workflows where slug = workflow;
  if not found then
    raise exception 'no workflow with slug "%"', workflow
      using hint = 'list them with: select slug from khaosflow.workflows', errcode = 'no_data_found';
  end if;
  if not v_workflow.enabled then
    raise exception 'workflow "%" is disabled', workflow
      using hint = 'enable it first: update khaosflow.workflows set enabled = true where slug = ''' || workflow || '''',
            errcode = 'object_not_in_prerequisite_state';
  end if;
  return khaosflow.enqueue_run(v_workflow.id, v_workflow.current_version, trigger_kind, trigger, p_dedupe_key => dedupe_key);
end $$;

-- For psql and for users' own triggers: select khaosflow.start_run('my-workflow', '{"a":1}');
-- The run is queued in the caller's transaction: a rollback un-queues it.
create function khaosflow.start_run(workflow text, data jsonb default '{}'::jsonb)
returns uuid
language sql volatile as $$
  select khaosflow.trigger_run(workflow, 'sql', jsonb_build_object('data', coalesce(data, '{}'::jsonb)))
$$;

-- Cancels a queued, running or waiting run and the child runs it waits for.
-- A running step sees the cancellation within seconds and stops.
create function khaosflow.cancel_run(run uuid)
returns boolean
language plpgsql volatile as $$
declare
  v_done boolean;
begin
  with recursive tree as (
    select id from khaosflow.runs where id = run
    union all
    select c.id from khaosflow.runs c join tree t on c.parent_run_id = t.id
  ), cancelled as (
    update khaosflow.runs r
       set status = 'cancelled', finished_at = now(), wake_at = null, waiting_for = null,
           error = jsonb_build_object('name', 'Cancelled', 'message', 'The run was cancelled.', 'retryable', false)
      from tree
     where r.id = tree.id and r.status in ('queued', 'running', 'waiting')
    returning r.id
  )
  select exists (select 1 from cancelled where id = run) into v_done;
  -- A cancelled run frees its queue slot.
  perform khaosflow.wake_queue(r.queue_name) from khaosflow.runs r where r.id = run and r.queue_name is not null;
  -- Drop the pending job if no worker holds it yet (a held one finds the run cancelled).
  perform graphile_worker.remove_job('run:' || run);
  return v_done;
end $$;

-- Starts a new run that repeats a finished one. from_failed_step keeps the old run's
-- successful steps as checkpoints so execution resumes at the first step that failed;
-- latest_version runs the workflow's current version instead of the pinned one.
create function khaosflow.retry_run(run uuid, from_failed_step boolean default true, latest_version boolean default false)
returns uuid
language plpgsql volatile as $$
declare
  v_old     khaosflow.runs;
  v_version integer;
  v_new     uuid;
begin
  select * into v_old from khaosflow.runs where id = run;
  if not found then
    raise exception 'no run %', run using errcode = 'no_data_found';
  end if;
  if v_old.status not in ('succeeded', 'failed', 'cancelled') then
    raise exception 'run % is still %; wait for it to finish or cancel it first', run, v_old.status;
  end if;
  v_version := v_old.version;
  if latest_version then
    select current_version into v_version from khaosflow.workflows where id = v_old.workflow_id;
  end if;
  v_new := khaosflow.enqueue_run(v_old.workflow_id, v_version, v_old.trigger_kind, v_old.trigger_data,
                                 p_retry_of => v_old.id, p_priority => v_old.priority);
  if from_failed_step then
    insert into khaosflow.step_runs (run_id, step_path, step_slug, step_name, action_type, attempt, status,
                                     input, output, error, logs, started_at, finished_at, carried_over)
    select distinct on (s.step_path) v_new, s.step_path, s.step_slug, s.step_name, s.action_type, 1, 'succeeded',
           s.input, s.output, null, s.logs, s.started_at, s.finished_at, true
      from khaosflow.step_runs s
     where s.run_id = v_old.id and s.status = 'succeeded'
     order by s.step_path, s.attempt desc;
  end if;
  return v_new;
end $$;

-- Read-only faces for operators.
create view khaosflow.run_overview as
select r.id, w.slug as workflow, r.version, r.status, r.trigger_kind, r.attempt,
       r.created_at, r.started_at, r.finished_at,
       r.finished_at - coalesce(r.started_at, r.created_at) as duration,
       r.error ->> 'step' as failed_step, r.error ->> 'message' as error,
       r.parent_run_id, r.retry_of
  from khaosflow.runs r
  join khaosflow.workflows w on w.id = r.workflow_id;

create view khaosflow.step_overview as
select s.run_id, w.slug as workflow, s.step_path, s.step_name, s.action_type, s.attempt, s.status,
       s.started_at, s.finished_at, s.finished_at - s.started_at as duration,
       s.error ->> 'message' as error, s.carried_over
  from khaosflow.step_runs s
  join khaosflow.runs r on r.id = s.run_id
  join khaosflow.workflows w on w.id = r.workflow_id;

create view khaosflow.queue_overview as
select w.slug as workflow,
       count(*) filter (where r.status = 'queued')  as queued,
       count(*) filter (where r.status = 'running') as running,
       count(*) filter (where r.status = 'waiting') as waiting,
       min(r.created_at) filter (where r.status = 'queued') as oldest_queued_at,
       min(r.wake_at) filter (where r.status = 'waiting') as next_wake_at
  from khaosflow.runs r
  join khaosflow.workflows w on w.id = r.workflow_id
 where r.status in ('queued', 'running', 'waiting')
 group by w.slug;
