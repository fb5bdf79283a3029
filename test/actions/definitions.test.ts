// Every registered action type (the built-ins and a plugin) is known the same way to
// the engine, to validation and to the JSON Schema, because all three are derived from
// its one definition (server/actions/**: `params`, `authoring`, `paramKinds`): the
// params the engine passes unresolved are exactly the ones validation treats as raw,
// per-element expressions or markup, every param a workflow may write is one the action
// reads, and every type the engine runs is a type the workflow language accepts.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinActionRegistry, builtinActions } from '../../server/actions/index.js';
import type { ActionDefinition } from '../../server/core/action.js';
import type { ActionRegistry } from '../../server/core/action-registry.js';
import { projectRoot } from '../../server/paths.js';
import { loadPlugins, unloadPlugins } from '../../server/plugins/loader.js';
import { actionTypeNames, paramKinds, parseWorkflow, workflowJsonSchema } from '../../server/workflow/index.js';
import { actionObject } from '../../server/workflow/schema/actions/action-object.js';

let actions: ActionRegistry;
beforeAll(async () => {
  actions = builtinActionRegistry();
  await loadPlugins({ dir: path.join(projectRoot, 'examples/plugins'), explicit: true, actions });
});
afterAll(() => unloadPlugins());

/** Flow actions the engine runs itself (server/engine/flow-steps.ts), not through the registry. */
const ENGINE_FLOW_ACTIONS = ['call_workflow', 'delay'];

/** The param names a schema accepts: an object's keys, or those of every union option. */
function keysOf(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodUnion) return [...new Set((schema.options as z.ZodType[]).flatMap(keysOf))];
  if (schema instanceof z.ZodPipe) return keysOf(schema.in as z.ZodType);
  return [];
}

/** The params a workflow file may write for `action`, from its one definition. */
function writtenParams(action: ActionDefinition<any>): string[] {
  const schema = action.authoring!((shape) => actionObject(action.type, shape));
  return keysOf(schema)
    .filter((key) => key !== 'type' && key !== 'retry')
    .sort();
}

/** The JSON Schema options describing `type` (one per operation for transform). */
function jsonSchemaOptions(type: string): Array<{ properties: Record<string, unknown> }> {
  const root = workflowJsonSchema() as { definitions?: Record<string, unknown>; $defs?: Record<string, unknown> };
  const definitions = { ...root.definitions, ...root.$defs };
  // zod shares repeated sub-schemas as "#/definitions/<name>" references.
  const deref = (node: unknown): unknown => {
    const ref = (node as { $ref?: string } | undefined)?.$ref;
    return ref ? deref(definitions[ref.slice(ref.lastIndexOf('/') + 1)]) : node;
  };
  const found: Array<{ properties: Record<string, unknown> }> = [];
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    const properties = (node as { properties?: Record<string, unknown> }).properties;
    // Actions (not a trigger of the same name, like webhook) carry the step's retry.
    if (properties?.retry && (deref(properties.type) as { const?: unknown } | undefined)?.const === type)
      found.push({ properties: properties! });
    for (const value of Object.values(node)) visit(value);
  };
  visit(root);
  return found;
}

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

  it('give every built-in an authoring schema whose params the action reads', () => {
    for (const action of builtinActions) {
      expect(action.authoring, `${action.type} declares authoring`).toBeTypeOf('function');
      const runtime = keysOf(action.params as z.ZodType);
      const unread = writtenParams(action).filter((key) => !runtime.includes(key));
      expect({ type: action.type, unread }).toEqual({ type: action.type, unread: [] });
    }
  });

  it('derive the JSON Schema of each built-in from its definition, param for param', () => {
    for (const action of builtinActions) {
      const options = jsonSchemaOptions(action.type);
      expect(options.length, action.type).toBeGreaterThan(0);
      const inSchema = [...new Set(options.flatMap((option) => Object.keys(option.properties)))]
        .filter((key) => key !== 'type' && key !== 'retry')
        .sort();
      expect({ type: action.type, params: inSchema }).toEqual({ type: action.type, params: writtenParams(action) });
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
