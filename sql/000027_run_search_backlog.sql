-- Trigger data text reaches the run history's trigram index (sql/000023) after the
-- commit that made the run, not inside it. Splitting the text into trigrams and adding
-- them to the GIN index was 40% of the time khaosflow.record_runs took (npm run bench,
-- S2), and the index's pending list, flushed by whichever insert finds it full, put a
-- 20 ms stall into one commit in a hundred. Every commit that creates runs waits for it,
-- and a synchronous webhook's caller waits for that commit.
--
-- New runs now add their text to an unindexed backlog (a heap append). A cluster
-- singleton (server/runs/search-index.ts) moves the backlog into run_search in batches,
-- about once a second. Text search reads both, so a run is found the moment it exists:
-- the backlog is small (seconds of runs) and scanned, run_search is indexed.
create table khaosflow.run_search_backlog (
  run_id uuid not null,
  trigger_text text not null
);

create or replace function khaosflow.index_run_text() returns trigger
language plpgsql as $$
begin
  insert into khaosflow.run_search_backlog (run_id, trigger_text)
  select n.id, n.trigger_data::text from new_runs n;
  return null;
end
$$;

-- Moves up to p_limit rows of the backlog into run_search (null: all of it); returns
-- how many it took.
-- Rows of runs deleted meanwhile (the backlog has no foreign key: an append must not
-- look up runs) are dropped. Two movers at once are safe: a row both picked is deleted
-- by one, and the other skips it.
create function khaosflow.index_run_search(p_limit integer default 5000) returns integer
language plpgsql volatile as $$
declare
  v_moved integer;
begin
  with moved as (
    delete from khaosflow.run_search_backlog b
     where b.ctid = any (array(select ctid from khaosflow.run_search_backlog limit p_limit))
    returning b.run_id, b.trigger_text
  ), indexed as (
    insert into khaosflow.run_search (run_id, trigger_text)
    select m.run_id, m.trigger_text from moved m
     where exists (select 1 from khaosflow.runs r where r.id = m.run_id)
    on conflict (run_id) do nothing
  )
  select count(*) into v_moved from moved;
  return v_moved;
end
$$;
