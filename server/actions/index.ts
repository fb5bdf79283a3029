// The built-in action types. Each lives in its own file (or folder) under
// server/actions/; adding one means adding it to the list below.
import { databaseActions } from './database/index.js';
import { emailActions } from './email/index.js';
import { fileActions } from './files/index.js';
import { httpActions } from './http/index.js';
import { logAction } from './log.js';
import { scriptActions } from './script/index.js';
import { transformAction } from './transform/index.js';
import type { ActionDefinition } from '../core/action.js';
import { ActionRegistry } from '../core/action-registry.js';

export const builtinActions: readonly ActionDefinition<any>[] = [
  // In the order the workflow language lists them to authors ("one of http_request, ...").
  ...httpActions,
  ...databaseActions,
  ...emailActions,
  ...scriptActions,
  ...fileActions,
  transformAction,
  logAction,
];

/** A registry holding the built-ins, to which a process adds its plugins (see server/outside-world.ts). */
export function builtinActionRegistry(): ActionRegistry {
  return new ActionRegistry(builtinActions);
}
