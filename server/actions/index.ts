// Registers the built-in action types once per process. Each lives in its own file
// (or folder) under server/actions/.
import { databaseActions } from './database/index.js';
import { emailActions } from './email/index.js';
import { fileActions } from './files/index.js';
import { httpActions } from './http/index.js';
import { logAction } from './log.js';
import { getAction, registerAction } from './registry.js';
import { scriptActions } from './script/index.js';
import { transformAction } from './transform/index.js';
import type { ActionDefinition } from '../core/action.js';

const builtins: ActionDefinition<any>[] = [
  logAction,
  transformAction,
  ...databaseActions,
  ...fileActions,
  ...httpActions,
  ...scriptActions,
  ...emailActions,
];

export function registerBuiltinActions(): void {
  for (const action of builtins) if (!getAction(action.type)) registerAction(action);
}
