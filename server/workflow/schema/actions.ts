// The built-in action types and the registry plugins extend at start-up. Validation and
// the editor's JSON Schema both read from here, so a registered type is known to both.
import { z } from 'zod';
import { ActionTypeClashError } from '../../core/action-registry.js';
import { closestMatch } from '../did-you-mean.js';
import { actionObject } from './actions/action-object.js';
import {
  databaseDeleteActionSchema,
  databaseInsertActionSchema,
  databaseQueryActionSchema,
  databaseUpdateActionSchema,
} from './actions/database.js';
import { emailReadActionSchema, sendEmailActionSchema } from './actions/email.js';
import {
  fileCopyActionSchema,
  fileDeleteActionSchema,
  fileDownloadActionSchema,
  fileListActionSchema,
  fileMoveActionSchema,
  fileReadActionSchema,
  fileUploadActionSchema,
  fileWriteActionSchema,
} from './actions/files.js';
import { callWorkflowActionSchema, delayActionSchema, logActionSchema } from './actions/flow.js';
import { graphqlActionSchema, httpRequestActionSchema, soapActionSchema, webhookActionSchema } from './actions/http.js';
import { runScriptActionSchema } from './actions/script.js';
import { transformActionSchema } from './actions/transform.js';
import { retrySchema } from './retry.js';
import { tolerateTemplates } from './template-tolerance.js';

export const builtinActionSchemas = {
  http_request: httpRequestActionSchema,
  graphql: graphqlActionSchema,
  soap: soapActionSchema,
  webhook: webhookActionSchema,
  database_query: databaseQueryActionSchema,
  database_insert: databaseInsertActionSchema,
  database_update: databaseUpdateActionSchema,
  database_delete: databaseDeleteActionSchema,
  send_email: sendEmailActionSchema,
  email_read: emailReadActionSchema,
  run_script: runScriptActionSchema,
  file_write: fileWriteActionSchema,
  file_read: fileReadActionSchema,
  file_list: fileListActionSchema,
  file_delete: fileDeleteActionSchema,
  file_move: fileMoveActionSchema,
  file_copy: fileCopyActionSchema,
  file_upload: fileUploadActionSchema,
  file_download: fileDownloadActionSchema,
  transform: transformActionSchema,
  log: logActionSchema,
  delay: delayActionSchema,
  call_workflow: callWorkflowActionSchema,
};

/**
 * How each param is read. Params not listed are templates (resolved before the action
 * runs). `raw` params are passed as written (script code, a jq program); `expression`
 * params are evaluated by the action per element (transform conditions); `markup`
 * params are templates the action renders itself, escaping each value (SOAP XML, HTML
 * mail) or checking it (a database where: takes one scalar per template). The engine passes raw, expression and markup params unresolved: that set must
 * equal the action's `rawParams` (test/actions/definitions.test.ts checks every built-in).
 */
export interface ParamKinds {
  raw?: readonly string[];
  expression?: readonly string[];
  markup?: readonly string[];
}

const builtinParamKinds: Record<string, ParamKinds> = {
  run_script: { raw: ['code'] },
  transform: { raw: ['filter'], expression: ['condition', 'transform', 'by', 'group_by', 'aggregations'] },
  soap: { markup: ['body'] },
  send_email: { markup: ['html'] },
  database_update: { markup: ['where'] },
  database_delete: { markup: ['where'] },
};

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

/** The action type the user probably meant, for "unknown action type" messages. */
export function closestActionType(type: string): string | undefined {
  return closestMatch(type, actionTypeNames());
}
