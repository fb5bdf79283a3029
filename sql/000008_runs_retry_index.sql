-- Retries are few beside the run history: a partial index lets "the retries of these
-- runs" (HTTP download retention, server/files/http-retention.ts) skip the history.
create index runs_retry_of_idx on khaosflow.runs (retry_of) where retry_of is not null;
