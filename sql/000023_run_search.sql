-- Text search over trigger data (the run history's q= filter) moves off khaosflow.runs
-- into an insert-only table. The trigram index sql/000015 put on runs was updated on
-- every change of a run's status (those updates touch indexed columns, so they are not
-- HOT and every index of runs gets a new entry): the trigger data's JSON text was
-- rebuilt and split into trigrams two or three times per run, about 15% of the server
-- time of a webhook run (npm run bench, S1). Trigger data never changes after insert,
-- so its text is indexed once here.
create table khaosflow.run_search (
  run_id uuid primary key references khaosflow.runs (id) on delete cascade,
  trigger_text text not null
);

-- Every way a run is created (webhook batches, enqueue_run, retries, SQL) fills it:
-- one statement-level trigger, one insert per statement however many runs it made.
create function khaosflow.index_run_text() returns trigger
language plpgsql as $$
begin
  insert into khaosflow.run_search (run_id, trigger_text)
  select n.id, n.trigger_data::text from new_runs n;
  return null;
end
$$;

create trigger runs_index_text after insert on khaosflow.runs
  referencing new table as new_runs
  for each statement execute function khaosflow.index_run_text();

insert into khaosflow.run_search (run_id, trigger_text)
select id, trigger_data::text from khaosflow.runs;

drop index if exists khaosflow.runs_trigger_text_idx;

-- As in sql/000015: without pg_trgm (a Postgres built without contrib) q= still works,
-- reading the runs the other filters leave.
do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_trgm') then
    create index run_search_text_idx on khaosflow.run_search using gin (trigger_text gin_trgm_ops);
  end if;
end
$$;
