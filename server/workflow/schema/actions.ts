// The built-in action types and the registry plugins extend at start-up. Validation and
// the editor's JSON Schema both read from here, so a registered type is known to both.
import { z } from 'zod';
import { ActionTypeClashError } from '../../core/action-registry.js';
import { closestMatch } from '../did-you-mean.js';
import { builtinActions } from '../../actions/index.js';
import { paramKindsOf, type ParamKinds } from '../../core/action.js';
import { actionObject } from './actions/action-object.js';
import { callWorkflowActionSchema, delayActionSchema } from './actions/flow.js';
import { retrySchema } from './retry.js';
import { tolerateTemplates } from './template-tolerance.js';

// Built-in action types are part of the language: each one's schema comes from its one
// definition (server/actions/**, `authoring`), so the language, the JSON Schema and the
// builder's forms cannot disagree with what the action accepts. delay and call_workflow
// are run by the engine itself and described here.
export const builtinActionSchemas: Record<string, z.ZodType> = {
  ...Object.fromEntries(
    builtinActions.flatMap((action) =>
      action.authoring ? [[action.type, action.authoring((shape) => actionObject(action.type, shape))]] : [],
    ),
  ),
  delay: delayActionSchema,
  call_workflow: callWorkflowActionSchema,
};

const builtinParamKinds: Record<string, ParamKinds> = Object.fromEntries(
  builtinActions.map((action) => [action.type, paramKindsOf(action)]),
);

export type { ParamKinds };

interface Registered {
  validation: z.ZodType;
  editor: z.ZodType;
  kinds: ParamKinds;
}

const registered = new Map<string, Registered>();
let version = 0;

/**
 * Adds an action type (a plugin's) to the workflow language. `params` validates the
 * action's params as written (a plain z.object is closed to unknown keys; use
 * z.looseObject to accept any); a param holding
 * a `{{ }}` template is accepted whatever its declared type, since its value is only known
 * at run time. `kinds.raw` lists params the action reads without template resolution.
 * @throws ActionTypeClashError when the type is already part of the workflow language
 *
 * @example registerActionSchema('slack_post', z.object({ channel: z.string(), text: z.string() }))
 */
export function registerActionSchema(type: string, params: z.ZodType, kinds: ParamKinds = {}): void {
  if (!/^[a-z][a-z0-9_]*$/.test(type)) throw new Error(`Action type "${type}" must be snake_case (letters, digits, _).`);
  if (type in builtinActionSchemas || registered.has(type)) throw new ActionTypeClashError(type);
  // A plain z.object would silently drop unknown keys; in a workflow file they are errors.
  // A looseObject (or strictObject) keeps the policy its author chose.
  const object = params instanceof z.ZodObject ? params : undefined;
  const closeIt = object !== undefined && object._zod.def.catchall === undefined;
  const checked = closeIt ? z.strictObject(object.shape) : params;
  const editor = object
    ? closeIt
      ? actionObject(type, object.shape)
      : object.extend({ type: z.literal(type), retry: retrySchema.optional() })
    : z.looseObject({ type: z.literal(type), retry: retrySchema.optional() });
  const validation = z
    .looseObject({ type: z.literal(type), retry: retrySchema.optional() })
    .superRefine(({ type: _type, retry: _retry, ...rest }, ctx) => tolerateTemplates(checked, rest, ctx));
  registered.set(type, { validation, editor, kinds });
  version++;
}

/** Removes a registered action type (plugin reloads, tests). */
export function unregisterActionSchema(type: string): void {
  if (registered.delete(type)) version++;
}

/** Changes whenever the set of action types changes; schemas built from it are rebuilt. */
export function actionRegistryVersion(): number {
  return version;
}

export function actionTypeNames(): string[] {
  return [...Object.keys(builtinActionSchemas), ...registered.keys()];
}

export function paramKinds(type: string): ParamKinds {
  return builtinParamKinds[type] ?? registered.get(type)?.kinds ?? {};
}

/** The action schema: `editor` for JSON Schema, otherwise the one validation uses. */
export function actionSchema(purpose: 'validation' | 'editor' = 'validation'): z.ZodType {
  const plugins = [...registered.values()].map((entry) => (purpose === 'editor' ? entry.editor : entry.validation));
  // zod's discriminatedUnion needs a non-empty tuple of options; built-ins always exist.
  const options = [...Object.values(builtinActionSchemas), ...plugins] as [z.ZodObject, ...z.ZodObject[]];
  return z.discriminatedUnion('type', options);
}

/** Each action type with its editor schema (the params as written): built-ins, then plugins. */
export function actionEditorSchemas(): Array<{ type: string; schema: z.ZodType; plugin: boolean }> {
  return [
    ...Object.entries(builtinActionSchemas).map(([type, schema]) => ({ type, schema: schema as z.ZodType, plugin: false })),
    ...[...registered.entries()].map(([type, entry]) => ({ type, schema: entry.editor, plugin: true })),
  ];
}

/** The action type the user probably meant, for "unknown action type" messages. */
export function closestActionType(type: string): string | undefined {
  return closestMatch(type, actionTypeNames());
}
