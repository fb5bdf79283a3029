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
}

export interface WorkflowVersionsTable {
  workflow_id: number;
  version: number;
  source_yaml: string;
  definition: Json;
  created_at: Timestamp;
  created_by: string | null;
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

export interface Database {
  'khaosflow.workflows': WorkflowsTable;
  'khaosflow.workflow_versions': WorkflowVersionsTable;
  'khaosflow.runs': RunsTable;
  'khaosflow.step_runs': StepRunsTable;
  'khaosflow.workers': WorkersTable;
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
