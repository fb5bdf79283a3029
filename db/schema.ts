// Row types of the khaosflow schema, as Kysely sees them. Keep in step with sql/.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<unknown, string | undefined, string>;
type NullableJson = ColumnType<unknown | null, string | null | undefined, string | null>;

export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface WorkflowsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string | null;
  enabled: Generated<boolean>;
  current_version: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Set when the workflow was deleted (its slug is then `<slug>--deleted-<id>`). */
  deleted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface WorkflowVersionsTable {
  workflow_id: number;
  version: number;
  source_yaml: string;
  definition: Json;
  created_at: Timestamp;
  created_by: string | null;
  concurrency: number | null;
  queue_key: string | null;
  priority: Generated<number>;
  timeout_ms: number | null;
}

export interface RunsTable {
  id: Generated<string>;
  workflow_id: number;
  version: number;
  trigger_kind: Generated<string>;
  trigger_data: Json;
  status: ColumnType<RunStatus, RunStatus | undefined, RunStatus>;
  priority: Generated<number>;
  dedupe_key: string | null;
  parent_run_id: string | null;
  retry_of: string | null;
  attempt: Generated<number>;
  output: NullableJson;
  error: NullableJson;
  wake_at: NullableTimestamp;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  parent_step: string | null;
  waiting_for: string | null;
  queue_name: string | null;
}

export interface StepRunsTable {
  id: Generated<number>;
  run_id: string;
  step_path: string;
  step_slug: string;
  step_name: string;
  action_type: string | null;
  attempt: Generated<number>;
  status: StepStatus;
  input: NullableJson;
  output: NullableJson;
  error: NullableJson;
  logs: NullableJson;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  carried_over: Generated<boolean>;
}

export interface WorkersTable {
  id: string;
  hostname: string;
  pid: number;
  kind: string;
  version: string;
  graphile_worker_ids: ColumnType<string[], string[] | undefined, string[]>;
  started_at: Timestamp;
  heartbeat_at: Timestamp;
}

export interface VaultKeysTable {
  key_id: string;
  check_ciphertext: Buffer;
  check_iv: Buffer;
  check_tag: Buffer;
  wrapped_by: string | null;
  wrapped_key: Buffer | null;
  wrapped_iv: Buffer | null;
  wrapped_tag: Buffer | null;
  created_at: Timestamp;
}

export interface SecretsTable {
  name: string;
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
  key_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ConnectionsTable {
  id: Generated<number>;
  name: string;
  type: string;
  settings: Json;
  secret_fields: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface VariablesTable {
  name: string;
  value: Json;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EmailTemplatesTable {
  name: string;
  subject: string;
  html: string | null;
  text: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type ApiKeyScope = 'read' | 'write' | 'webhook';

export interface ApiKeysTable {
  id: Generated<number>;
  prefix: string;
  hash: Buffer;
  name: string | null;
  workflow_slug: string | null;
  scopes: ColumnType<ApiKeyScope[], ApiKeyScope[] | undefined, ApiKeyScope[]>;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface ScheduleStateTable {
  workflow_id: number;
  last_tick: Timestamp;
  updated_at: Timestamp;
}

export interface DbTriggerInstallsTable {
  workflow_id: number;
  workflow_slug: string;
  connection: string | null;
  table_schema: string;
  table_name: string;
  events: string[];
  filter: string | null;
  condition: string | null;
  trigger_names: ColumnType<string[], string[] | undefined, string[]>;
  status: 'installed' | 'failed';
  error: string | null;
  retryable: Generated<boolean>;
  installed_at: NullableTimestamp;
  updated_at: Timestamp;
}

export interface FileWatchStateTable {
  workflow_id: number;
  path: string;
  size: number;
  mtime: Timestamp;
  seen_at: Timestamp;
}

export type UserRole = 'owner' | 'admin' | 'editor' | 'viewer';

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: ColumnType<string, string | undefined, string>;
  password_hash: string;
  role: ColumnType<UserRole, UserRole | undefined, UserRole>;
  created_at: Generated<Date>;
  last_login_at: NullableTimestamp;
  disabled_at: NullableTimestamp;
}

export interface SessionsTable {
  token_hash: Buffer;
  user_id: number;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date;
  user_agent: string | null;
  ip: string | null;
}

export interface TriggerProblemsTable {
  workflow_id: number;
  trigger_type: string;
  message: string;
  since: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Where an email trigger has read a mailbox up to (sql/000006_email_trigger.sql). */
/** Trigger data as text for the run history's q= filter (sql/000023), filled on insert into runs. */
export interface RunSearchTable {
  run_id: string;
  trigger_text: string;
}

export interface EmailTriggerStateTable {
  workflow_id: number;
  connection: string;
  mailbox: string;
  uidvalidity: ColumnType<string, string | number, string | number>;
  last_uid: ColumnType<string, string | number, string | number>;
  updated_at: Timestamp;
}

/** Signatures of webhook requests seen inside their tolerance window (replays refused). */
export interface WebhookSignaturesSeenTable {
  workflow_slug: string;
  signature_hash: Buffer;
  expires_at: Timestamp;
}

/** Open "listen for a test event" captures, per workflow (or unsaved draft). */
export interface WebhookCapturesTable {
  workflow_slug: string;
  open_until: Timestamp;
  draft_trigger: NullableJson;
}

/** Test events kept for the editor (the newest are listed). */
export interface WebhookSamplesTable {
  id: Generated<string>;
  workflow_slug: string;
  received_at: Timestamp;
  trigger: Json;
}

export interface LoginFailuresTable {
  id: Generated<string>;
  key: string;
  failed_at: Generated<Date>;
}

export interface StepRoleTable {
  name: string;
  password: string;
}

export interface Database {
  'khaosflow.workflows': WorkflowsTable;
  'khaosflow.workflow_versions': WorkflowVersionsTable;
  'khaosflow.runs': RunsTable;
  'khaosflow.step_runs': StepRunsTable;
  'khaosflow.workers': WorkersTable;
  'khaosflow.vault_keys': VaultKeysTable;
  'khaosflow.secrets': SecretsTable;
  'khaosflow.connections': ConnectionsTable;
  'khaosflow.variables': VariablesTable;
  'khaosflow.email_templates': EmailTemplatesTable;
  'khaosflow.api_keys': ApiKeysTable;
  'khaosflow.schedule_state': ScheduleStateTable;
  'khaosflow.db_trigger_installs': DbTriggerInstallsTable;
  'khaosflow.file_watch_state': FileWatchStateTable;
  'khaosflow.users': UsersTable;
  'khaosflow.sessions': SessionsTable;
  'khaosflow.trigger_problems': TriggerProblemsTable;
  'khaosflow.email_trigger_state': EmailTriggerStateTable;
  'khaosflow.run_search': RunSearchTable;
  /** New runs' text on its way to run_search (sql/000027); same shape, no index. */
  'khaosflow.run_search_backlog': RunSearchTable;
  'khaosflow.webhook_signatures_seen': WebhookSignaturesSeenTable;
  'khaosflow.webhook_captures': WebhookCapturesTable;
  'khaosflow.webhook_samples': WebhookSamplesTable;
  'khaosflow.login_failures': LoginFailuresTable;
  'khaosflow.step_role': StepRoleTable;
}

export type Workflow = Selectable<WorkflowsTable>;
export type NewWorkflow = Insertable<WorkflowsTable>;
export type WorkflowUpdate = Updateable<WorkflowsTable>;
export type WorkflowVersion = Selectable<WorkflowVersionsTable>;
export type Run = Selectable<RunsTable>;
export type NewRun = Insertable<RunsTable>;
export type StepRun = Selectable<StepRunsTable>;
export type NewStepRun = Insertable<StepRunsTable>;
export type Worker = Selectable<WorkersTable>;
export type ApiKey = Selectable<ApiKeysTable>;
export type ConnectionRow = Selectable<ConnectionsTable>;
export type EmailTemplateRow = Selectable<EmailTemplatesTable>;
