-- Jobs of runs a local runner executed (server/engine/local-runs.ts, sql/000024) end
-- in the commit that finishes their run, instead of in a delete of their own after it
-- (a second commit per synchronous webhook run). Only jobs locked by a local runner:
-- a worker pool completes its own jobs. Otherwise finish_runs is 000022's.
create or replace function khaosflow.finish_runs(p_runs uuid[], p_statuses text[], p_outputs jsonb[], p_errors jsonb[],
                                                 p_started timestamptz[], p_steps jsonb[])
returns table (ord integer, finished boolean)
language plpgsql volatile as $$
declare
  i        integer;
  s        record;
  v_run    khaosflow.runs;
  v_parent khaosflow.runs;
begin
  insert into khaosflow.step_runs (run_id, step_path, step_slug, step_name, action_type, attempt, status,
                                   input, output, error, logs, started_at, finished_at)
  select e.run_id, x.step_path, x.step_slug, x.step_name, x.action_type, x.attempt, x.status,
         x.input, x.output, x.error, x.logs, x.started_at, x.finished_at
    from unnest(p_runs, p_steps) with ordinality as e(run_id, steps, ord)
   cross join lateral rows from (jsonb_to_recordset(coalesce(e.steps, '[]'::jsonb)) as (
           "rowId" bigint, step_path text, step_slug text, step_name text, action_type text, attempt integer,
           status text, input jsonb, output jsonb, error jsonb, logs jsonb, started_at timestamptz, finished_at timestamptz))
         with ordinality as x("rowId", step_path, step_slug, step_name, action_type, attempt, status,
                              input, output, error, logs, started_at, finished_at, n)
   where x."rowId" is null
   order by e.ord, x.n;

  for s in
    select x.*
      from unnest(p_steps) as e(steps)
     cross join lateral jsonb_to_recordset(coalesce(e.steps, '[]'::jsonb)) as x(
             "rowId" bigint, status text, input jsonb, output jsonb, error jsonb, logs jsonb, finished_at timestamptz)
     where x."rowId" is not null
  loop
    update khaosflow.step_runs
       set status = s.status, input = s.input, output = s.output, error = s.error, logs = s.logs, finished_at = s.finished_at
     where id = s."rowId";
  end loop;

  delete from graphile_worker._private_jobs
   where key = any(array(select 'run:' || r from unnest(p_runs) as r)) and locked_by like 'khaosflow-local-%';

  for i in 1 .. coalesce(array_length(p_runs, 1), 0) loop
    ord := i;
    update khaosflow.runs
       set status = p_statuses[i], output = p_outputs[i], error = p_errors[i], finished_at = now(),
           started_at = coalesce(started_at, p_started[i]), attempt = greatest(attempt, 1)
     where id = p_runs[i] and status in ('running', 'queued')
    returning * into v_run;
    finished := found;
    if finished then
      if v_run.queue_name is not null then
        perform khaosflow.wake_queue(v_run.queue_name);
      end if;
      if v_run.parent_run_id is not null then
        update khaosflow.runs p set waiting_for = null
         where p.id = v_run.parent_run_id and p.status = 'waiting' and p.waiting_for = v_run.id
        returning * into v_parent;
        if found then
          perform khaosflow.add_run_job(v_parent.id, v_parent.priority);
        end if;
      end if;
    end if;
    return next;
  end loop;
end $$;
