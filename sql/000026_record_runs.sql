-- Synchronous webhook runs of workflows whose steps change nothing outside the run
-- (transforms, logs, conditions and loops: server/engine/before-writing.ts) execute
-- before they are written, and are written once, already finished, by this function:
-- the run, its step records and its end in one statement and one commit, with no
-- Graphile job, instead of an intake commit, a locked job and a finishing commit.
-- The caller is answered after this commit, so an answer still means the run is on
-- disk; a process that dies before it answered nothing and changed nothing, and the
-- sender's retry does the same work again.
--
-- A run is refused (recorded false, nothing written for it) when its workflow is no
-- longer enabled or has another current version by the time of the commit: the caller
-- then takes the usual intake path, which answers 404/409 or runs the current version.
-- Runs that end together share one call (server/engine/run-recorder.ts).
create function khaosflow.record_runs(p_ids uuid[], p_workflow_ids bigint[], p_versions integer[], p_trigger_kinds text[],
                                      p_triggers jsonb[], p_statuses text[], p_outputs jsonb[], p_errors jsonb[],
                                      p_created timestamptz[], p_started timestamptz[], p_steps jsonb[])
returns table (ord integer, recorded boolean)
language plpgsql volatile as $$
declare
  v_made uuid[];
begin
  with made as (
    insert into khaosflow.runs as r (id, workflow_id, version, trigger_kind, trigger_data, status, priority, attempt,
                                     output, error, created_at, started_at, finished_at)
    select i.id, w.id, i.version, i.kind, coalesce(i.trig, '{}'::jsonb), i.status, v.priority, 1,
           i.output, i.error, i.created, i.started, now()
      from unnest(p_ids, p_workflow_ids, p_versions, p_trigger_kinds, p_triggers, p_statuses, p_outputs, p_errors,
                  p_created, p_started) with ordinality as i(id, wid, version, kind, trig, status, output, error, created, started, ord)
      join khaosflow.workflows w on w.id = i.wid and w.enabled and w.current_version = i.version
      join khaosflow.workflow_versions v on v.workflow_id = w.id and v.version = i.version
     where i.status in ('succeeded', 'failed')
     order by i.ord
    returning r.id
  )
  select coalesce(array_agg(made.id), '{}') into v_made from made;

  insert into khaosflow.step_runs (run_id, step_path, step_slug, step_name, action_type, attempt, status,
                                   input, output, error, logs, started_at, finished_at)
  select e.run_id, x.step_path, x.step_slug, x.step_name, x.action_type, x.attempt, x.status,
         x.input, x.output, x.error, x.logs, x.started_at, x.finished_at
    from unnest(p_ids, p_steps) with ordinality as e(run_id, steps, ord)
   cross join lateral rows from (jsonb_to_recordset(coalesce(e.steps, '[]'::jsonb)) as (
           step_path text, step_slug text, step_name text, action_type text, attempt integer,
           status text, input jsonb, output jsonb, error jsonb, logs jsonb, started_at timestamptz, finished_at timestamptz))
         with ordinality as x(step_path, step_slug, step_name, action_type, attempt, status,
                              input, output, error, logs, started_at, finished_at, n)
   where e.run_id = any(v_made)
   order by e.ord, x.n;

  return query
  select i.ord::integer, i.id = any(v_made)
    from unnest(p_ids) with ordinality as i(id, ord)
   order by i.ord;
end $$;
