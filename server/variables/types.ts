/** Workflow variables: `{{vars.x}}` and bare `{{x}}` in expressions. */
export interface VariableStore {
  all(): Promise<Record<string, unknown>>;
}
