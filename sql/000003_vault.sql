-- What workflows name from outside themselves: secrets (encrypted), connections,
-- variables, email templates, and the API keys that let callers in.

-- One row per master key the vault has seen. The check value is a known constant
-- encrypted with the key, so start-up learns in one read whether the configured
-- key is the one the secrets were stored with (instead of failing on first use).
create table khaosflow.vault_keys (
  key_id           text primary key check (key_id ~ '^[0-9a-f]{16}$'),
  check_ciphertext bytea not null,
  check_iv         bytea not null check (octet_length(check_iv) = 12),
  check_tag        bytea not null check (octet_length(check_tag) = 16),
  -- While a rotation is in flight the new key is kept here encrypted with the key it
  -- replaces, so processes still running with the old key read rotated secrets. The
  -- first start-up with the new key clears it, and the old key opens nothing after.
  wrapped_by       text,
  wrapped_key      bytea,
  wrapped_iv       bytea,
  wrapped_tag      bytea,
  created_at       timestamptz not null default now(),
  check ((wrapped_by is null) = (wrapped_key is null))
);

-- AES-256-GCM, a random 96-bit IV per value; the additional authenticated data is
-- 'secret:<name>:<key_id>', so a ciphertext copied onto another row does not decrypt.
create table khaosflow.secrets (
  name       text primary key
             check (name ~ '^([A-Za-z_][A-Za-z0-9_]*|connection:[a-z0-9][a-z0-9_-]*:[A-Za-z0-9_.-]+)$'),
  ciphertext bytea not null,
  iv         bytea not null check (octet_length(iv) = 12),
  tag        bytea not null check (octet_length(tag) = 16),
  key_id     text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index secrets_key_id_idx on khaosflow.secrets (key_id);

-- settings holds the URL without its password and the non-secret options; each
-- secret field (password, secret-looking options and query parameters) is a secret
-- named 'connection:<name>:<field>', listed in secret_fields.
create table khaosflow.connections (
  id            bigint generated always as identity primary key,
  name          text not null unique check (name ~ '^[a-z0-9][a-z0-9_-]*$'),
  type          text not null
                check (type in ('postgres', 'mysql', 'mongodb', 'smtp', 'imap', 's3', 'ftp', 'sftp', 'http')),
  settings      jsonb not null default '{}'::jsonb,
  secret_fields text[] not null default '{}',
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);

-- `{{vars.name}}` and bare `{{name}}` in expressions.
create table khaosflow.variables (
  name       text primary key check (name ~ '^[A-Za-z_][A-Za-z0-9_]*$'),
  value      jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table khaosflow.email_templates (
  name       text primary key check (name ~ '^[A-Za-z0-9][A-Za-z0-9_-]*$'),
  subject    text not null,
  html       text,
  text       text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (html is not null or text is not null)
);

-- Keys for the REST API and webhooks: 'kf_<prefix>_<secret>'. Only the SHA-256 of
-- the secret part is kept; the prefix finds the row without scanning.
create table khaosflow.api_keys (
  id            bigint generated always as identity primary key,
  prefix        text not null unique,
  hash          bytea not null check (octet_length(hash) = 32),
  name          text,
  workflow_slug text,
  scopes        text[] not null default '{read,write,webhook}'
                check (cardinality(scopes) > 0 and scopes <@ array['read', 'write', 'webhook']),
  created_at    timestamptz not null default now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
