-- Group commit at intake: the webhook requests that arrive together are accepted in
-- one transaction (one commit, one WAL flush) instead of one each. Each entry gets
-- its own answer: the run id, or why it was refused (no such workflow, disabled),
-- without raising, so one refused entry never rolls back the others' runs.
-- Entries are handled in order, so a repeated dedupe key inside one batch finds the
-- run its earlier twin created (same transaction) and returns that id.
create function khaosflow.trigger_runs(p_workflows text[], p_trigger_kinds text[], p_triggers jsonb[], p_dedupe_keys text[])
returns table (ord integer, run_id uuid, refused text)
language plpgsql volatile as $$
declare
  v_workflow khaosflow.workflows;
  i integer;
begin
  for i in 1 .. coalesce(array_length(p_workflows, 1), 0) loop
    ord := i;
    run_id := null;
    refused := null;
    select * into v_workflow from khaosflow.workflows where slug = p_workflows[i];
    if not found then
      refused := 'not_found';
    elsif not v_workflow.enabled then
      refused := 'disabled';
    else
      run_id := khaosflow.enqueue_run(v_workflow.id, v_workflow.current_version, p_trigger_kinds[i], p_triggers[i],
                                      p_dedupe_key => p_dedupe_keys[i]);
    end if;
    return next;
  end loop;
end $$;
