-- Batched run finishes: the runs a worker process ends together are finished in one
-- transaction (one commit, one WAL flush) instead of one each. Entry i does what the
-- executor's single finish statement does: write the run's last step records, set
-- its final status (only while it is running or queued, so a cancelled run stays
-- cancelled), pull the next run of its queue forward and wake a parent waiting for
-- it. Entries are handled in order, so two runs of one serial queue finishing in the
-- same batch each wake their own successor.
create function khaosflow.finish_runs(p_runs uuid[], p_statuses text[], p_outputs jsonb[], p_errors jsonb[],
                                      p_started timestamptz[], p_steps jsonb[])
returns table (ord integer, finished boolean)
language plpgsql volatile as $$
declare
  i        integer;
  v_run    khaosflow.runs;
  v_parent khaosflow.runs;
begin
  for i in 1 .. coalesce(array_length(p_runs, 1), 0) loop
    ord := i;
    insert into khaosflow.step_runs (run_id, step_path, step_slug, step_name, action_type, attempt, status,
                                     input, output, error, logs, started_at, finished_at)
    select p_runs[i], x.step_path, x.step_slug, x.step_name, x.action_type, x.attempt, x.status,
           x.input, x.output, x.error, x.logs, x.started_at, x.finished_at
      from jsonb_to_recordset(coalesce(p_steps[i], '[]'::jsonb)) as x(
             "rowId" bigint, step_path text, step_slug text, step_name text, action_type text, attempt integer,
             status text, input jsonb, output jsonb, error jsonb, logs jsonb, started_at timestamptz, finished_at timestamptz)
     where x."rowId" is null;
    update khaosflow.step_runs s
       set status = x.status, input = x.input, output = x.output, error = x.error, logs = x.logs,
           finished_at = x.finished_at
      from jsonb_to_recordset(coalesce(p_steps[i], '[]'::jsonb)) as x(
             "rowId" bigint, status text, input jsonb, output jsonb, error jsonb, logs jsonb, finished_at timestamptz)
     where x."rowId" is not null and s.id = x."rowId";

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
