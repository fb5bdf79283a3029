// Registers the built-in action types once per process. Each lives in its own file
// (or folder) under server/actions/.
import { logAction } from './log.js';
import { getAction, registerAction } from './registry.js';
import { transformAction } from './transform/index.js';
import type { ActionDefinition } from './types.js';

const builtins: ActionDefinition<any>[] = [logAction, transformAction];

export function registerBuiltinActions(): void {
  for (const action of builtins) if (!getAction(action.type)) registerAction(action);
}
