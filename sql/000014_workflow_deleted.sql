-- Deleting a workflow keeps its row (and so its runs and versions, readable in the
-- history): deleted_at marks it, the slug is freed by renaming it to <slug>--deleted-<id>,
-- and it is disabled so every trigger stops.
alter table khaosflow.workflows add column deleted_at timestamptz;
