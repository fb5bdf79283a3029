// What db/ knows of a workflow definition: the fields it copies into columns when a
// version is applied. The full, validated shape is server/workflow/types.ts
// (WorkflowDefinition); db/ sits below server/, so it stores the definition as jsonb and
// hands it back typed as the caller says it stored it (`currentWorkflows<WorkflowDefinition>(db)`).
export interface StoredWorkflowDefinition {
  name: string;
  slug: string;
  description?: string | undefined;
  concurrency?: number | undefined;
  queue?: string | undefined;
  priority?: number | undefined;
  timeout_ms?: number | undefined;
}
