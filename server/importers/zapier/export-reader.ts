// Reads a Zapier export in either form into zaps with a checked node tree:
//
// - the editor's export: `{metadata: {version}, zaps: [{id, title, nodes: {<id>: node}}]}`,
//   each node with `selected_api`, `action`, `type_of`, `params`, `parent_id`, `paused`, `meta`;
// - the list form of the product spec: `{zaps: [{title, trigger, actions: [...]}]}`, each
//   step with `app` (or `selected_api`), `action`, `params` and optionally `id` and `title`.
//
// Anything that makes a zap unreadable throws a ZapierImportError naming the zap and node.
import { ZapierImportError } from './errors.js';
import type { Zap, ZapierExport, ZapNode } from './types.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const formsHint =
  'a Zapier export is {"metadata": {"version": 2}, "zaps": [{"title", "nodes": {...}}]} (from the Zap editor) ' +
  'or {"zaps": [{"title", "trigger": {...}, "actions": [...]}]}';

/** Parses the text of an export file; the error says when it is not JSON at all. */
export function parseExportText(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message.replace(/\s+/g, ' ').trim();
    throw new ZapierImportError(`${fileName} is not JSON (${reason}); export the zaps from Zapier again - ${formsHint}.`);
  }
}

/** The zaps of an export, in either form; throws ZapierImportError on what cannot be read. */
export function readExport(json: unknown, fileName: string): ZapierExport {
  if (!isObject(json) || !Array.isArray(json.zaps)) {
    throw new ZapierImportError(`${fileName} has no "zaps" list; ${formsHint}.`);
  }
  if (json.zaps.length === 0) throw new ZapierImportError(`${fileName} holds no zaps ("zaps" is empty).`);
  const zaps = json.zaps.map((zap, index) => readZap(zap, index));
  const forms = new Set(zaps.map((zap) => zap.form));
  const metadata = isObject(json.metadata) ? json.metadata : undefined;
  const version = typeof metadata?.version === 'number' ? metadata.version : undefined;
  return { form: forms.has('nodes') ? 'nodes' : 'list', version, zaps: zaps.map((zap) => zap.zap) };
}

function readZap(raw: unknown, index: number): { form: 'nodes' | 'list'; zap: Zap } {
  if (!isObject(raw)) throw new ZapierImportError(`zaps[${index}] is not an object; ${formsHint}.`);
  const id = raw.id === undefined || raw.id === null ? String(index + 1) : String(raw.id);
  const title = typeof raw.title === 'string' && raw.title.trim() !== '' ? raw.title.trim() : `Zap ${id}`;
  const where = `zap "${title}" (zaps[${index}])`;
  if (isObject(raw.nodes)) return { form: 'nodes', zap: readNodeForm(raw, id, title, where) };
  if (raw.trigger !== undefined) return { form: 'list', zap: readListForm(raw, id, title, where) };
  throw new ZapierImportError(`${where} has neither "nodes" nor "trigger"; ${formsHint}.`);
}

function zapPaused(raw: Json): boolean | undefined {
  if (typeof raw.paused === 'boolean') return raw.paused;
  if (typeof raw.state === 'string') return ['off', 'paused', 'draft'].includes(raw.state.toLowerCase());
  return undefined;
}

function readNodeForm(raw: Json, id: string, title: string, where: string): Zap {
  const entries = Object.entries(raw.nodes as Json);
  if (entries.length === 0) throw new ZapierImportError(`${where} has no nodes; a zap needs at least its trigger.`);
  const nodes = new Map<string, ZapNode>();
  for (const [key, value] of entries) {
    if (!isObject(value)) throw new ZapierImportError(`${where}, node ${key} is not an object.`);
    const nodeId = value.id === undefined || value.id === null ? key : String(value.id);
    const meta = isObject(value.meta) ? value.meta : {};
    nodes.set(nodeId, {
      id: nodeId,
      parentId: value.parent_id === null || value.parent_id === undefined ? null : String(value.parent_id),
      app: requiredText(value.selected_api, `${where}, node ${nodeId}`, 'selected_api', 'the app, e.g. "SlackAPI"'),
      action: requiredText(value.action, `${where}, node ${nodeId}`, 'action', 'the app event, e.g. "channel_message"'),
      typeOf: typeof value.type_of === 'string' ? value.type_of : 'write',
      params: isObject(value.params) ? value.params : {},
      title: nonEmpty(meta.stepTitle) ?? (value.parent_id === null || value.parent_id === undefined ? undefined : nonEmpty(value.title)),
      paramLabels: isObject(meta.parammap) ? meta.parammap : {},
      paused: value.paused === true,
    });
  }
  const rootId = checkTree(nodes, where);
  return { id, title, nodes, rootId, paused: zapPaused(raw) ?? nodes.get(rootId)!.paused };
}

function readListForm(raw: Json, id: string, title: string, where: string): Zap {
  const actions = raw.actions ?? [];
  if (!Array.isArray(actions)) throw new ZapierImportError(`${where}: "actions" must be a list of steps.`);
  const nodes = new Map<string, ZapNode>();
  let parentId: string | null = null;
  [raw.trigger, ...actions].forEach((step, position) => {
    const label = position === 0 ? 'trigger' : `actions[${position - 1}]`;
    if (!isObject(step)) throw new ZapierImportError(`${where}, ${label} is not an object with app and action.`);
    // Without ids, references count steps from 1 (the trigger), as Zapier numbers them.
    const nodeId = step.id === undefined || step.id === null ? String(position + 1) : String(step.id);
    if (nodes.has(nodeId)) throw new ZapierImportError(`${where}, ${label} repeats id ${nodeId}; give each step its own id.`);
    nodes.set(nodeId, {
      id: nodeId,
      parentId,
      app: requiredText(step.app ?? step.selected_api, `${where}, ${label}`, 'app', 'e.g. "SlackAPI"'),
      action: requiredText(step.action ?? step.event, `${where}, ${label}`, 'action', 'e.g. "channel_message"'),
      typeOf: typeof step.type_of === 'string' ? step.type_of : position === 0 ? 'read' : 'write',
      params: isObject(step.params) ? step.params : {},
      title: nonEmpty(step.title),
      paramLabels: {},
      paused: false,
    });
    parentId = nodeId;
  });
  const rootId = nodes.keys().next().value!;
  return { id, title, nodes, rootId, paused: zapPaused(raw) ?? false };
}

function requiredText(value: unknown, where: string, key: string, example: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  throw new ZapierImportError(`${where} has no "${key}" (${example}); every Zapier step names its app and action.`);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** One root, every parent present, every node reachable from the root; returns the root id. */
function checkTree(nodes: Map<string, ZapNode>, where: string): string {
  for (const node of nodes.values()) {
    if (node.parentId !== null && !nodes.has(node.parentId)) {
      throw new ZapierImportError(
        `${where}, node ${node.id} refers to parent ${node.parentId}, which is not in the export; export the zap again or remove the node.`,
      );
    }
  }
  const roots = [...nodes.values()].filter((node) => node.parentId === null);
  if (roots.length !== 1) {
    const which =
      roots.length === 0
        ? 'no node without parent_id (its trigger)'
        : `${roots.length} nodes without parent_id (${roots.map((n) => n.id).join(', ')})`;
    throw new ZapierImportError(`${where} has ${which}; a zap has exactly one trigger node.`);
  }
  const reached = new Set<string>();
  const visit = (id: string): void => {
    reached.add(id);
    for (const node of nodes.values()) if (node.parentId === id && !reached.has(node.id)) visit(node.id);
  };
  visit(roots[0]!.id);
  const lost = [...nodes.keys()].filter((id) => !reached.has(id));
  if (lost.length)
    throw new ZapierImportError(
      `${where}: nodes ${lost.join(', ')} are not connected to the trigger (their parent_id chain loops); export the zap again.`,
    );
  return roots[0]!.id;
}
