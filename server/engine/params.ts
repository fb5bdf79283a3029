// Resolving an action's params: every `{{ }}` template is evaluated against the step's
// context, except params the action evaluates itself (script code, per-item
// conditions). Templates are compiled once per action of a version and cached.
import type { ActionDefinition } from '../core/action.js';
import { compileTemplate, type CompiledTemplate, type ExpressionContext } from '../expression/index.js';
import type { ActionConfig } from '../workflow/types.js';

interface CompiledParams {
  templated: CompiledTemplate;
  raw: Record<string, unknown>;
}

const cache = new WeakMap<ActionConfig, CompiledParams>();

function compileParams(config: ActionConfig, rawKeys: readonly string[]): CompiledParams {
  const templated: Record<string, unknown> = {};
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === 'type') continue;
    if (rawKeys.includes(key)) raw[key] = value;
    else templated[key] = value;
  }
  return { templated: compileTemplate(templated), raw };
}

/** The params `run()` receives: templates resolved, raw params as written, no `type`. */
export async function resolveParams(
  config: ActionConfig,
  action: ActionDefinition<any> | undefined,
  ctx: ExpressionContext,
  stepName: string,
): Promise<Record<string, unknown>> {
  let compiled = cache.get(config);
  if (!compiled) {
    compiled = compileParams(config, action?.rawParams ?? []);
    cache.set(config, compiled);
  }
  const resolved = (await compiled.templated.evaluate(ctx, stepName)) as Record<string, unknown>;
  return { ...resolved, ...compiled.raw };
}
