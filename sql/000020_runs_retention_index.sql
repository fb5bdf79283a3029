-- Run retention (KHAOSFLOW_RETENTION_DAYS, server/runs/retention.ts) looks for finished
-- runs older than a cutoff, oldest first, in small batches; this index makes each
-- batch read only the rows it deletes.
create index runs_finished_idx on khaosflow.runs ((coalesce(finished_at, created_at)))
  where status in ('succeeded', 'failed', 'cancelled');
