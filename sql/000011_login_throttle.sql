-- Failed console logins, shared by every KhaosFlow process (issue 18, finding 6): a
-- throttle kept in one process's memory is reset by a restart and split by a second
-- web process. One row per failure and per key it counts against: the account from
-- this address ("a:<email>|<ip>"), the address ("i:<ip>") and the account from
-- anywhere ("e:<email>"). Rows older than the window are pruned by the throttle.
create table khaosflow.login_failures (
  id        bigserial primary key,
  key       text not null,
  failed_at timestamptz not null default now()
);
create index login_failures_key_idx on khaosflow.login_failures (key, failed_at);
create index login_failures_age_idx on khaosflow.login_failures (failed_at);
