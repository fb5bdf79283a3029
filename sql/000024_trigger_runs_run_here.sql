-- Synchronous webhooks run in the process that accepted them. The run's job is still
-- made in the intake transaction (so a crash loses nothing), but made locked by the
-- accepting process's local runner (p_lock_by: its id, or null to queue as before).
-- No worker takes a locked job, so the run is not executed twice; if the process dies,
-- the heartbeat of any other process releases the lock (server/engine/heartbeat.ts) and
-- a worker resumes the run. This skips the jobs:insert wake-up and Graphile's get_jobs
-- (about 2 ms of a sync answer at one caller, measured: npm run bench, S2). A locked
-- run comes back with what the executor would otherwise read again (its workflow,
-- version, queue and creation time), so it starts without another round trip.
drop function khaosflow.trigger_runs(text[], text[], jsonb[], text[]);

-- The Graphile task row locked jobs refer to (add_job makes it on first use; the
-- locked insert below does not go through add_job).
insert into graphile_worker._private_tasks (identifier) values ('run') on conflict do nothing;

create function khaosflow.trigger_runs(p_workflows text[], p_trigger_kinds text[], p_triggers jsonb[], p_dedupe_keys text[],
                                       p_lock_by text[] default null)
returns table (ord integer, run_id uuid, refused text, job_id bigint,
               workflow_id bigint, version integer, queue_name text, created_at timestamptz, workflow_name text)
language plpgsql volatile as $$
declare
  -- Made in entry order, so runs of one serial queue keep the order they arrived in.
  v_ids        uuid[] := array(select khaosflow.uuid_v7() from generate_series(1, coalesce(array_length(p_workflows, 1), 0)));
  v_made       uuid[];
  v_priorities integer[];
  v_versions   integer[];
  v_queues     text[];
  v_created    timestamptz[];
  v_locked     uuid[] := '{}';
  v_jobs       bigint[] := '{}';
begin
  if exists (select 1 from khaosflow.workflows w
               left join khaosflow.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
              where w.slug = any(p_workflows) and w.enabled and v.workflow_id is null) then
    raise exception 'an enabled workflow has no current version' using errcode = 'no_data_found';
  end if;

  with made as (
    insert into khaosflow.runs as ins (id, workflow_id, version, trigger_kind, trigger_data, priority, dedupe_key, queue_name)
    select v_ids[i.ord], w.id, w.current_version, i.kind, coalesce(i.trig, '{}'::jsonb), v.priority, i.dedupe,
           case when v.concurrency is not null then 'c:' || w.id end
      from unnest(p_workflows, p_trigger_kinds, p_triggers, p_dedupe_keys) with ordinality as i(slug, kind, trig, dedupe, ord)
      join khaosflow.workflows w on w.slug = i.slug and w.enabled
      join khaosflow.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
     order by i.ord
    on conflict do nothing
    -- Qualified: version, queue_name and created_at are also this function's result columns.
    returning ins.id, ins.priority, ins.version, ins.queue_name, ins.created_at
  )
  select coalesce(array_agg(made.id order by made.id), '{}'), coalesce(array_agg(made.priority order by made.id), '{}'),
         coalesce(array_agg(made.version order by made.id), '{}'), coalesce(array_agg(made.queue_name order by made.id), '{}'),
         coalesce(array_agg(made.created_at order by made.id), '{}')
    into v_made, v_priorities, v_versions, v_queues, v_created
    from made;

  -- Only runs this call created get a job (a deduplicated entry's run has one already).
  if cardinality(v_made) > 0 then
    -- A run a local runner takes gets its job inserted already locked, so no worker can
    -- ever see it unlocked, and without add_jobs' jobs:insert notification, which would
    -- only wake the workers to find nothing to take (Graphile completes jobs by deleting
    -- from this table the same way).
    if p_lock_by is not null then
      with locked as (
        insert into graphile_worker._private_jobs as j (task_id, payload, priority, max_attempts, key, locked_by, locked_at)
        select t.id, json_build_object('run_id', m.id), -coalesce(m.priority, 0), 25, 'run:' || m.id, l.worker, now()
          from unnest(v_ids, p_lock_by) as l(id, worker)
          join unnest(v_made, v_priorities) as m(id, priority) on m.id = l.id
          join graphile_worker._private_tasks t on t.identifier = 'run'
         where l.worker is not null
        returning (j.payload ->> 'run_id')::uuid as locked_run, j.id as locked_job
      )
      select coalesce(array_agg(locked_run), '{}'), coalesce(array_agg(locked_job), '{}') into v_locked, v_jobs from locked;
    end if;

    if cardinality(v_made) > cardinality(v_locked) then
      perform graphile_worker.add_jobs(array_agg(
               row('run', json_build_object('run_id', m.id), null, null, 25, 'run:' || m.id, -coalesce(m.priority, 0), null)::graphile_worker.job_spec
               order by m.ord))
         from unnest(v_made, v_priorities) with ordinality as m(id, priority, ord)
        where m.id <> all(v_locked);
    end if;
  end if;

  -- Answers come from what the insert returned, not from reading runs again: right
  -- after a burst the table's statistics are stale and the planner would scan it.
  return query
  select i.ord::integer,
         case when v_ids[i.ord] = any(v_made) then v_ids[i.ord]
              when w.id is null or not w.enabled then null
              else (select r.id from khaosflow.runs r where r.workflow_id = w.id and r.dedupe_key = i.dedupe)
         end,
         case when v_ids[i.ord] = any(v_made) then null
              when w.id is null then 'not_found'
              when not w.enabled then 'disabled'
         end,
         l.job,
         case when l.job is not null then w.id end,
         v_versions[m.at],
         v_queues[m.at],
         v_created[m.at],
         case when l.job is not null then w.name end
    from unnest(p_workflows, p_dedupe_keys) with ordinality as i(slug, dedupe, ord)
    left join khaosflow.workflows w on w.slug = i.slug
    cross join lateral (select v_jobs[array_position(v_locked, v_ids[i.ord])] as job) l
    cross join lateral (select case when l.job is not null then array_position(v_made, v_ids[i.ord]) end as at) m
   order by i.ord;
end $$;
