// Resolving an action's params: every `{{ }}` template is evaluated against the step's
// context, except params the action evaluates itself (script code, per-item
// conditions). Templates are compiled once per action of a version (server/expression/template-cache.ts).
import type { ActionDefinition } from '../core/action.js';
import type { ExpressionContext } from '../expression/index.js';
import { cachedTemplate } from '../expression/template-cache.js';
import type { ActionConfig } from '../workflow/types.js';

/** The params split into those resolved as templates and those passed as written. */
function splitParams(
  config: ActionConfig,
  rawKeys: readonly string[],
): { templated: Record<string, unknown>; raw: Record<string, unknown> } {
  const templated: Record<string, unknown> = {};
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === 'type') continue;
    if (rawKeys.includes(key)) raw[key] = value;
    else templated[key] = value;
  }
  return { templated, raw };
}

/** The params `run()` receives: templates resolved, raw params as written, no `type`. */
export async function resolveParams(
  config: ActionConfig,
  action: ActionDefinition<any> | undefined,
  ctx: ExpressionContext,
  stepName: string,
): Promise<Record<string, unknown>> {
  const { templated, raw } = splitParams(config, action?.rawParams ?? []);
  // Keyed by the step's action config, which lives as long as its loaded workflow version.
  const resolved = (await cachedTemplate(templated, config).evaluate(ctx, stepName)) as Record<string, unknown>;
  return { ...resolved, ...raw };
}
