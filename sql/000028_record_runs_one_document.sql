-- khaosflow.record_runs (sql/000026) takes its runs as one JSON document instead of
-- eleven parallel arrays. The arrays went as Postgres array literals, which the server
-- process built by escaping every quote of every trigger, output and step record once
-- more; the document is the JSON texts the process already has, joined, so each run's
-- data is copied once. Same rows, same answers, same refusals.
drop function khaosflow.record_runs(uuid[], bigint[], integer[], text[], jsonb[], text[], jsonb[], jsonb[],
                                    timestamptz[], timestamptz[], jsonb[]);

-- p_runs: [{id, workflow_id, version, trigger_kind, trigger, status, output, error,
--           created_at, started_at, steps: [step record, ...]}, ...]
create function khaosflow.record_runs(p_runs jsonb)
returns table (ord integer, recorded boolean)
language plpgsql volatile as $$
declare
  v_made uuid[];
begin
  with made as (
    insert into khaosflow.runs as r (id, workflow_id, version, trigger_kind, trigger_data, status, priority, attempt,
                                     output, error, created_at, started_at, finished_at)
    select i.id, w.id, i.version, i.trigger_kind, coalesce(i.trigger, '{}'::jsonb), i.status, v.priority, 1,
           -- JSON null as jsonb null, as finish_runs stores it (jsonb_to_recordset makes it SQL NULL).
           coalesce(i.output, 'null'::jsonb), coalesce(i.error, 'null'::jsonb), i.created_at, i.started_at, now()
      from rows from (jsonb_to_recordset(p_runs) as (id uuid, workflow_id bigint, version integer, trigger_kind text,
                                                     trigger jsonb, status text, output jsonb, error jsonb,
                                                     created_at timestamptz, started_at timestamptz))
           with ordinality as i(id, workflow_id, version, trigger_kind, trigger, status, output, error, created_at, started_at, ord)
      join khaosflow.workflows w on w.id = i.workflow_id and w.enabled and w.current_version = i.version
      join khaosflow.workflow_versions v on v.workflow_id = w.id and v.version = i.version
     where i.status in ('succeeded', 'failed')
     order by i.ord
    returning r.id
  )
  select coalesce(array_agg(made.id), '{}') into v_made from made;

  insert into khaosflow.step_runs (run_id, step_path, step_slug, step_name, action_type, attempt, status,
                                   input, output, error, logs, started_at, finished_at)
  select e.id, x.step_path, x.step_slug, x.step_name, x.action_type, x.attempt, x.status,
         x.input, x.output, x.error, x.logs, x.started_at, x.finished_at
    from rows from (jsonb_to_recordset(p_runs) as (id uuid, steps jsonb)) with ordinality as e(id, steps, ord)
   cross join lateral rows from (jsonb_to_recordset(coalesce(e.steps, '[]'::jsonb)) as (
           step_path text, step_slug text, step_name text, action_type text, attempt integer,
           status text, input jsonb, output jsonb, error jsonb, logs jsonb, started_at timestamptz, finished_at timestamptz))
         with ordinality as x(step_path, step_slug, step_name, action_type, attempt, status,
                              input, output, error, logs, started_at, finished_at, n)
   where e.id = any(v_made)
   order by e.ord, x.n;

  return query
  select i.ord::integer, i.id = any(v_made)
    from rows from (jsonb_to_recordset(p_runs) as (id uuid)) with ordinality as i(id, ord)
   order by i.ord;
end $$;
