-- A database step that names no connection runs on KhaosFlow's own database, but not
-- as KhaosFlow (issue 18, finding 7): as this login role, which may use the public
-- schema (the spec's order example keeps its products there) and has no rights on the
-- khaosflow and graphile_worker schemas (users, keys, versions, the queue). Roles are
-- shared by the whole PostgreSQL cluster, so its name carries the database's. The
-- role's name and its random password are kept here, readable only by KhaosFlow.
-- Creating a role needs CREATEROLE; without it the table stays empty and such steps
-- refuse to run, asking for a connection.
create table khaosflow.step_role (
  name     text primary key,
  password text not null
);

do $$
declare
  role_name text := left('khaosflow_steps_' || current_database(), 63);
  secret text := encode(sha256((gen_random_uuid()::text || clock_timestamp()::text || random()::text)::bytea), 'hex');
begin
  if exists (select from pg_roles where rolname = role_name) then
    execute format('alter role %I login nosuperuser nocreatedb nocreaterole noinherit password %L', role_name, secret);
  else
    execute format('create role %I login nosuperuser nocreatedb nocreaterole noinherit password %L', role_name, secret);
  end if;
  execute format('revoke all on schema khaosflow, graphile_worker from %I', role_name);
  execute format('grant usage, create on schema public to %I', role_name);
  execute format('grant all on all tables in schema public to %I', role_name);
  execute format('grant all on all sequences in schema public to %I', role_name);
  execute format('alter default privileges in schema public grant all on tables to %I', role_name);
  execute format('alter default privileges in schema public grant all on sequences to %I', role_name);
  insert into khaosflow.step_role (name, password) values (role_name, secret);
exception when insufficient_privilege then
  raise notice 'KhaosFlow cannot create the role % (it needs CREATEROLE): database steps without a connection will be refused', role_name;
end $$;
