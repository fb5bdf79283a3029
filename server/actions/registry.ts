// Action types by name. Built-ins register in server/actions/index.ts; plugins at
// start-up. The workflow schema learns plugin param schemas through the same call.
import type { ActionDefinition } from '../core/action.js';

const actions = new Map<string, ActionDefinition<any>>();

export function registerAction(def: ActionDefinition<any>): void {
  if (actions.has(def.type)) throw new Error(`Action type "${def.type}" is registered twice.`);
  actions.set(def.type, def);
}

export function getAction(type: string): ActionDefinition<any> | undefined {
  return actions.get(type);
}

export function actionTypes(): string[] {
  return [...actions.keys()].sort();
}

/** Tests and plugin reloads only. */
export function unregisterAction(type: string): void {
  actions.delete(type);
}
