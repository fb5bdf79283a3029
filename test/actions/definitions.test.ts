// Every registered action type (the built-ins and a plugin) is known the same way to
// the engine, to validation and to the JSON Schema: the params the engine passes
// unresolved are exactly the ones validation treats as raw, per-element expressions or
// markup, and every type the engine runs is a type the workflow language accepts.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinActionRegistry } from '../../server/actions/index.js';
import type { ActionRegistry } from '../../server/core/action-registry.js';
import { projectRoot } from '../../server/paths.js';
import { loadPlugins, unloadPlugins } from '../../server/plugins/loader.js';
import { actionTypeNames, paramKinds, parseWorkflow, workflowJsonSchema } from '../../server/workflow/index.js';

let actions: ActionRegistry;
beforeAll(async () => {
  actions = builtinActionRegistry();
  await loadPlugins({ dir: path.join(projectRoot, 'examples/plugins'), explicit: true, actions });
});
afterAll(() => unloadPlugins());

/** Flow actions the engine runs itself (server/engine/flow-steps.ts), not through the registry. */
const ENGINE_FLOW_ACTIONS = ['call_workflow', 'delay'];

describe('action definitions', () => {
  it('cover the same types in the registry and in the workflow language', () => {
    const registered = actions.list().map((a) => a.type);
    expect(registered).toContain('slugify');
    expect([...actionTypeNames()].sort()).toEqual([...registered, ...ENGINE_FLOW_ACTIONS].sort());
  });

  it('agree, for every type, on which params the engine leaves to the action', () => {
    for (const action of actions.list()) {
      const kinds = paramKinds(action.type);
      const unresolved = [...(kinds.raw ?? []), ...(kinds.expression ?? []), ...(kinds.markup ?? [])].sort();
      expect({ type: action.type, unresolved }).toEqual({ type: action.type, unresolved: [...(action.rawParams ?? [])].sort() });
    }
  });

  it('put every type in the JSON Schema the editor reads', () => {
    const schema = JSON.stringify(workflowJsonSchema());
    for (const type of actionTypeNames()) expect(schema).toContain(`"const":"${type}"`);
  });

  it('make validation refuse an unknown param of any registered type, naming it', () => {
    // transform's params are a union on `operation`: the probe picks one branch.
    for (const action of actions.list()) {
      const parsed = parseWorkflow(
        `name: Probe\nsteps:\n  - name: Probe\n    action: { type: ${action.type},${action.type === 'transform' ? ' operation: filter,' : ''} not_a_param_of_any_action: 1 }\n`,
        { file: 'probe.yaml' },
      );
      expect(parsed.ok, action.type).toBe(false);
      if (!parsed.ok) expect(JSON.stringify(parsed.problems), action.type).toMatch(/not_a_param_of_any_action/);
    }
  });
});
