// What a script sees of the run: `context.trigger`, `context.steps`, `context.vars`,
// `context.workflow`, `context.run` (and `item`/`index` in a loop, `error` in
// on_failure). Secrets only when the step lists them by name (`secrets: [api_token]`):
// a script is code the workflow's author wrote, but it should only hold the secrets
// it needs.
import { NonRetryableError } from '../../core/errors.js';
import type { ActionContext } from '../../core/action.js';

export async function scriptContext(ctx: ActionContext, secretNames: readonly string[] = []): Promise<Record<string, unknown>> {
  const e = ctx.expressionContext;
  const context: Record<string, unknown> = {
    trigger: e.trigger ?? null,
    steps: e.steps ?? {},
    vars: e.vars ?? {},
    workflow: e.workflow ?? null,
    run: e.run ?? null,
    date: e.date ?? null,
  };
  for (const key of ['item', 'index', 'error'] as const) if (e[key] !== undefined) context[key] = e[key];
  if (secretNames.length) {
    const secrets: Record<string, string> = {};
    for (const name of secretNames) {
      const value = await ctx.getSecret(name);
      if (value === undefined)
        throw new NonRetryableError(
          `The script lists secret "${name}", which is not set; set it with \`khaosflow secrets set ${name}\` or in the console.`,
        );
      secrets[name] = value;
    }
    context.secrets = secrets;
  }
  return context;
}
