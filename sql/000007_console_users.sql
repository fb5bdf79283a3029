-- Console users and their sessions. Passwords are stored as scrypt hashes; session
-- tokens (sent as an HttpOnly cookie) are stored only as SHA-256 hashes, so a
-- database dump lets nobody log in.
create table khaosflow.users (
  id            bigint generated always as identity primary key,
  email         text not null,
  name          text not null default '',
  password_hash text not null,
  -- owner: everything incl. users; admin: everything but users; editor: workflows
  -- and runs; viewer: read only. Enforced by the console's routes.
  role          text not null default 'editor' check (role in ('owner', 'admin', 'editor', 'viewer')),
  created_at    timestamptz not null default now(),
  last_login_at timestamptz,
  disabled_at   timestamptz
);
create unique index users_email_idx on khaosflow.users (lower(email));

create table khaosflow.sessions (
  token_hash   bytea primary key check (octet_length(token_hash) = 32),
  user_id      bigint not null references khaosflow.users (id) on delete cascade,
  created_at   timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at   timestamptz not null,
  user_agent   text,
  ip           text
);
create index sessions_user_idx on khaosflow.sessions (user_id);
