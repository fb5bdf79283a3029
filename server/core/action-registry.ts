// The action types one KhaosFlow process knows: the built-ins and its plugins (and, in
// tests, test actions). Owned by Services and handed to the engine, so nothing fills
// it as a side effect of importing a module.
import type { ActionDefinition } from './action.js';

/** Two actions (a plugin and a built-in, or two plugins) claim one type name. */
export class ActionTypeClashError extends Error {
  constructor(readonly type: string) {
    super(`Action type "${type}" is already registered; give the new action another type.`);
    this.name = 'ActionTypeClashError';
  }
}

export class ActionRegistry {
  private readonly actions = new Map<string, ActionDefinition<any>>();

  constructor(actions: Iterable<ActionDefinition<any>> = []) {
    for (const action of actions) this.register(action);
  }

  /** @throws ActionTypeClashError when the type is taken */
  register(action: ActionDefinition<any>): void {
    if (this.actions.has(action.type)) throw new ActionTypeClashError(action.type);
    this.actions.set(action.type, action);
  }

  get(type: string): ActionDefinition<any> | undefined {
    return this.actions.get(type);
  }

  has(type: string): boolean {
    return this.actions.has(type);
  }

  /** Every registered definition, sorted by type. */
  list(): ActionDefinition<any>[] {
    return [...this.actions.values()].sort((a, b) => a.type.localeCompare(b.type));
  }
}
