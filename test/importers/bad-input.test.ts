// Exports that cannot be read fail with one error that says what is wrong and where.
import { describe, expect, it } from 'vitest';
import { importZapierExport, ZapierImportError } from '../../server/importers/zapier/index.js';

const fail = (json: unknown) => () => importZapierExport(json, { fileName: 'zaps.json' });

const node = (id: number, parent: number | null, extra: Record<string, unknown> = {}) => ({
  id,
  parent_id: parent,
  root_id: parent === null ? null : 1,
  selected_api: 'SlackAPI',
  action: 'channel_message',
  type_of: parent === null ? 'read' : 'write',
  params: {},
  meta: {},
  paused: false,
  ...extra,
});

describe('unreadable exports', () => {
  it('says when the file is not JSON', () => {
    expect(fail('{"zaps": [')).toThrow(ZapierImportError);
    expect(fail('{"zaps": [')).toThrow(/^zaps\.json is not JSON \(.+\); export the zaps from Zapier again/);
  });

  it('says when it is neither export form', () => {
    expect(fail({ workflows: [] })).toThrow(
      'zaps.json has no "zaps" list; a Zapier export is {"metadata": {"version": 2}, "zaps": [{"title", "nodes": {...}}]} (from the Zap editor) or {"zaps": [{"title", "trigger": {...}, "actions": [...]}]}.',
    );
    expect(fail({ zaps: [] })).toThrow('zaps.json holds no zaps ("zaps" is empty).');
    expect(fail({ zaps: [{ title: 'Odd', steps: [] }] })).toThrow('zap "Odd" (zaps[0]) has neither "nodes" nor "trigger"');
  });

  it('names the zap and node that refers to a missing parent', () => {
    const json = { zaps: [{ id: 7, title: 'Orders', nodes: { 1: node(1, null), 2: node(2, 1), 3: node(3, 9) } }] };
    expect(fail(json)).toThrow(
      'zap "Orders" (zaps[0]), node 3 refers to parent 9, which is not in the export; export the zap again or remove the node.',
    );
  });

  it('names the nodes when a zap has no single trigger or a loop in its tree', () => {
    expect(fail({ zaps: [{ title: 'Two', nodes: { 1: node(1, null), 2: node(2, null) } }] })).toThrow(
      'zap "Two" (zaps[0]) has 2 nodes without parent_id (1, 2); a zap has exactly one trigger node.',
    );
    expect(fail({ zaps: [{ title: 'Loop', nodes: { 1: node(1, null), 2: node(2, 3), 3: node(3, 2) } }] })).toThrow(
      'zap "Loop" (zaps[0]): nodes 2, 3 are not connected to the trigger',
    );
  });

  it('names the node without an app or action', () => {
    expect(fail({ zaps: [{ title: 'Bare', nodes: { 1: node(1, null), 2: { id: 2, parent_id: 1, action: 'x' } } }] })).toThrow(
      'zap "Bare" (zaps[0]), node 2 has no "selected_api"',
    );
    expect(fail({ zaps: [{ title: 'List', trigger: { app: 'WebHookAPI' }, actions: [] }] })).toThrow(
      'zap "List" (zaps[0]), trigger has no "action"',
    );
  });

  it('refuses a step with two next steps outside Paths', () => {
    const json = { zaps: [{ title: 'Fork', nodes: { 1: node(1, null), 2: node(2, 1), 3: node(3, 1) } }] };
    expect(fail(json)).toThrow('zap "Fork", node 1 has 2 next steps (nodes 2, 3) but is not a Paths step');
  });
});
