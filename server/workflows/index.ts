// The workflow operations every caller (HTTP API, console, CLI) uses.
export { setWorkflowEnabled } from './enable.js';
export { getWorkflow, listWorkflows, workflowSource, type TriggerProblem, type WorkflowDetail, type WorkflowListItem } from './read.js';
