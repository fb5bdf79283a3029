-- Why a file or email trigger is not listening right now (folder refused by the file
-- roots, mailbox unreachable), one row per workflow while the problem lasts, so the
-- console, the API and psql can show it. Database triggers keep theirs in
-- db_trigger_installs.
create table khaosflow.trigger_problems (
  workflow_id  bigint primary key references khaosflow.workflows (id) on delete cascade,
  trigger_type text not null,
  message      text not null,
  since        timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
