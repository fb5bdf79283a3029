-- Group commit at intake, set-based. 000010's trigger_runs called enqueue_run once
-- per entry, and so Graphile's add_job once per run: a plpgsql round of its own and a
-- pg_notify('jobs:insert') each, which every listening worker pool then woke up for.
-- Measured on the 2-core machine: 1.2 ms of one backend per run, so intake topped out
-- near 800 runs/s however large the batch. Here a batch is one insert of its runs and
-- one add_jobs call (one notify), with the same answers per entry as before:
-- not_found / disabled refusals, and a repeated dedupe key returning the run created
-- first (also when both arrive in the same batch).
create or replace function khaosflow.trigger_runs(p_workflows text[], p_trigger_kinds text[], p_triggers jsonb[], p_dedupe_keys text[])
returns table (ord integer, run_id uuid, refused text)
language plpgsql volatile as $$
declare
  -- Made in entry order, so runs of one serial queue keep the order they arrived in.
  v_ids        uuid[] := array(select khaosflow.uuid_v7() from generate_series(1, coalesce(array_length(p_workflows, 1), 0)));
  v_made       uuid[];
  v_priorities integer[];
begin
  if exists (select 1 from khaosflow.workflows w
               left join khaosflow.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
              where w.slug = any(p_workflows) and w.enabled and v.workflow_id is null) then
    raise exception 'an enabled workflow has no current version' using errcode = 'no_data_found';
  end if;

  with made as (
    insert into khaosflow.runs (id, workflow_id, version, trigger_kind, trigger_data, priority, dedupe_key, queue_name)
    select v_ids[i.ord], w.id, w.current_version, i.kind, coalesce(i.trig, '{}'::jsonb), v.priority, i.dedupe,
           case when v.concurrency is not null then 'c:' || w.id end
      from unnest(p_workflows, p_trigger_kinds, p_triggers, p_dedupe_keys) with ordinality as i(slug, kind, trig, dedupe, ord)
      join khaosflow.workflows w on w.slug = i.slug and w.enabled
      join khaosflow.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
     order by i.ord
    on conflict do nothing
    returning id, priority
  )
  select coalesce(array_agg(id order by id), '{}'), coalesce(array_agg(priority order by id), '{}')
    into v_made, v_priorities
    from made;

  -- Only runs this call created get a job (a deduplicated entry's run has one already).
  if cardinality(v_made) > 0 then
    perform graphile_worker.add_jobs(array_agg(
             row('run', json_build_object('run_id', m.id), null, null, 25, 'run:' || m.id, -coalesce(m.priority, 0), null)::graphile_worker.job_spec
             order by m.ord))
       from unnest(v_made, v_priorities) with ordinality as m(id, priority, ord);
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
         end
    from unnest(p_workflows, p_dedupe_keys) with ordinality as i(slug, dedupe, ord)
    left join khaosflow.workflows w on w.slug = i.slug
   order by i.ord;
end $$;
