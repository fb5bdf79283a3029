-- Run history filters (GET /api/runs, the console's Runs page) read the newest runs
-- first and page with a (created_at, id) cursor. Each filter gets an index in that
-- order, so a page of 50 reads about 50 index entries however long the history is.
create index runs_history_idx on khaosflow.runs (created_at desc, id desc);
-- "Failed runs, newest first" and every other status.
create index runs_status_history_idx on khaosflow.runs (status, created_at desc, id desc);
-- Runs by trigger kind (webhook, schedule, manual, ...).
create index runs_trigger_history_idx on khaosflow.runs (trigger_kind, created_at desc, id desc);
-- One workflow's runs, also by status (a workflow's failures).
create index runs_workflow_history_idx on khaosflow.runs (workflow_id, created_at desc, id desc);
-- The two indexes above replace these (same leading columns, the cursor's id added).
drop index khaosflow.runs_created_idx;
drop index khaosflow.runs_workflow_created_idx;
create index runs_workflow_status_history_idx on khaosflow.runs (workflow_id, status, created_at desc, id desc);

-- Text in trigger data (q=): a trigram index over the data's JSON text answers
-- "contains" (ILIKE '%...%') without reading every run. pg_trgm is a trusted
-- extension, so the database owner may create it. A Postgres built without contrib
-- still migrates; q= then reads the runs that other filters leave.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_trgm') then
    create extension if not exists pg_trgm;
    create index runs_trigger_text_idx on khaosflow.runs using gin ((trigger_data::text) gin_trgm_ops);
  end if;
end
$$;
