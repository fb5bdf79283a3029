-- The email trigger's place in each mailbox it watches: the mailbox's UIDVALIDITY and
-- the highest UID already handled, so mail that arrived while KhaosFlow was down is
-- found by the first sweep after start. A changed UIDVALIDITY (the mailbox was
-- recreated and its UIDs mean other messages now) starts over from the mailbox's
-- current end. Runs are deduplicated by the key <mailbox>:<uidvalidity>:<uid> as well,
-- so a message never starts two runs, whatever crashes in between.
create table khaosflow.email_trigger_state (
  workflow_id bigint not null references khaosflow.workflows (id) on delete cascade,
  connection  text not null,
  mailbox     text not null,
  uidvalidity bigint not null,
  last_uid    bigint not null,
  updated_at  timestamptz not null default now(),
  primary key (workflow_id, connection, mailbox)
);

-- Records that a mailbox is handled up to UID `p_up_to` (the starting point of a new
-- watch, or messages the trigger's filter passes over). Never moves backwards within
-- one UIDVALIDITY.
create function khaosflow.advance_email_trigger(p_workflow text, p_connection text, p_mailbox text, p_uidvalidity bigint, p_up_to bigint)
returns void
language sql volatile as $$
  insert into khaosflow.email_trigger_state (workflow_id, connection, mailbox, uidvalidity, last_uid)
  select id, p_connection, p_mailbox, p_uidvalidity, p_up_to from khaosflow.workflows where slug = p_workflow
  on conflict (workflow_id, connection, mailbox) do update
    set last_uid = case when khaosflow.email_trigger_state.uidvalidity = excluded.uidvalidity
                        then greatest(khaosflow.email_trigger_state.last_uid, excluded.last_uid)
                        else excluded.last_uid end,
        uidvalidity = excluded.uidvalidity,
        updated_at = now()
$$;

-- Starts the run of one new message and moves the mailbox past it, in one statement.
create function khaosflow.run_email_message(p_workflow text, p_connection text, p_mailbox text, p_uidvalidity bigint, p_uid bigint, p_trigger jsonb)
returns uuid
language plpgsql volatile as $$
declare
  v_run uuid;
begin
  v_run := khaosflow.trigger_run(p_workflow, 'email', p_trigger, p_mailbox || ':' || p_uidvalidity || ':' || p_uid);
  perform khaosflow.advance_email_trigger(p_workflow, p_connection, p_mailbox, p_uidvalidity, p_uid);
  return v_run;
end $$;
