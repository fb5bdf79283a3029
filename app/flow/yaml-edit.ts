// Graph edits made on the workflow's YAML document (the `yaml` package's Document API):
// each edit changes the nodes it is about and nothing else, and the result is merged back
// into the text as written (line-merge.ts), so comments, key order, blank lines and
// quoting elsewhere stay exactly as the author left them. Pure: text in, text out.
import { type Document, isMap, isScalar, isSeq, parseDocument, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { stepSlug } from '../../server/workflow/slugs.js';
import { mergeLines } from './line-merge.js';

/** A path inside the workflow body (below `workflow:` when the file has that wrapper). */
export type YamlPath = (string | number)[];

/** Where a step goes: the list (`['steps']`, `['steps', 2, 'condition', 'else']`) and the index in it. */
export interface StepPlace {
  list: YamlPath;
  index: number;
}

export interface YamlProblem {
  message: string;
  line: number;
  col: number;
}

export type OpenedWorkflow = { ok: true; doc: Document.Parsed; body: YamlPath } | { ok: false; problem: YamlProblem };

/** Print options that follow the text's own habit for `{ a: 1 }` versus `{a: 1}`. */
function printOptionsFor(text: string) {
  // `{{` opens a template, not a flow map.
  const padded = text.match(/(?<!\{)[{[] [^\s}\]]/g)?.length ?? 0;
  const tight = text.match(/(?<!\{)[{[][^\s{}[\]]/g)?.length ?? 0;
  return { lineWidth: 0, flowCollectionPadding: padded > tight } as const;
}

/** The document and where its workflow body is, or the first YAML syntax error. */
export function openWorkflow(text: string): OpenedWorkflow {
  const doc = parseDocument(text, { prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const [line, col] = lineCol(text, error.pos[0]);
    return { ok: false, problem: { message: error.message.split('\n')[0]!, line, col } };
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    return {
      ok: false,
      problem: { message: 'a workflow file is a mapping of keys (name:, trigger:, steps:), not a list or a value', line: 1, col: 1 },
    };
  }
  const body = isMap(doc.contents) && doc.contents.has('workflow') ? ['workflow'] : [];
  return { ok: true, doc, body };
}

function lineCol(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset).split('\n');
  return [before.length, before.at(-1)!.length + 1];
}

/** Thrown when an edit cannot be made (the text does not parse, or the place does not exist). */
export class YamlEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlEditError';
  }
}

/** Applies `change` to the document of `text` and returns the text with only that change made. */
export function editWorkflow(text: string, change: (doc: Document.Parsed, body: YamlPath) => void): string {
  const opened = openWorkflow(text);
  if (!opened.ok)
    throw new YamlEditError(`The YAML does not parse (line ${opened.problem.line}): ${opened.problem.message}. Fix it first.`);
  const { doc, body } = opened;
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  const printOptions = printOptionsFor(text);
  const base = doc.toString(printOptions);
  change(doc, body);
  const edited = doc.toString(printOptions);
  return base === edited ? text : mergeLines(text, base, edited);
}

// --- reading -------------------------------------------------------------------------

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The plain value at `path` of the workflow body (undefined when absent). */
export function valueAt(doc: Document, body: YamlPath, path: YamlPath): unknown {
  const node = doc.getIn([...body, ...path], true);
  return node === undefined ? undefined : doc.getIn([...body, ...path]) === null ? null : toPlain(node);
}

function toPlain(node: unknown): unknown {
  if (isScalar(node)) return node.value;
  if (isMap(node) || isSeq(node)) return node.toJSON();
  return node;
}

/** Every step list of the body: its path and its items, depth first. */
function* stepLists(doc: Document, body: YamlPath, list: YamlPath = ['steps']): Generator<{ list: YamlPath; items: unknown[] }> {
  const items = doc.getIn([...body, ...list]);
  if (!Array.isArray(items) && !isSeq(items)) return;
  const plain = isSeq(items) ? (items.toJSON() as unknown[]) : items;
  yield { list, items: plain };
  for (const [index, step] of plain.entries()) {
    if (!isRecord(step)) continue;
    if (isRecord(step.condition)) {
      yield* stepLists(doc, body, [...list, index, 'condition', 'then']);
      yield* stepLists(doc, body, [...list, index, 'condition', 'else']);
    }
    for (const key of ['loop', 'for_each'] as const) if (isRecord(step[key])) yield* stepLists(doc, body, [...list, index, key, 'steps']);
  }
}

/** Slugs of every named step (and of unnamed steps' action types), for picking a free name. */
function takenSlugs(doc: Document, body: YamlPath): Set<string> {
  const taken = new Set<string>();
  for (const { items } of stepLists(doc, body)) {
    for (const step of items) {
      if (!isRecord(step)) continue;
      const name = typeof step.name === 'string' ? step.name : isRecord(step.action) ? String(step.action.type ?? '') : '';
      if (name) taken.add(stepSlug(name));
    }
  }
  return taken;
}

/** `base`, or `base 2`, `base 3`, ... whose slug no step of the document has yet. */
export function freeStepName(text: string, base: string): string {
  const opened = openWorkflow(text);
  if (!opened.ok) return base;
  return freeName(takenSlugs(opened.doc, opened.body), base);
}

function freeName(taken: Set<string>, base: string): string {
  if (!taken.has(stepSlug(base))) return base;
  for (let n = 2; ; n++) if (!taken.has(stepSlug(`${base} ${n}`))) return `${base} ${n}`;
}

// --- writing -------------------------------------------------------------------------

function seqAt(doc: Document, body: YamlPath, list: YamlPath, create: boolean): YAMLSeq | undefined {
  const node = doc.getIn([...body, ...list], true);
  if (isSeq(node)) return node;
  if (!create) return undefined;
  if (node !== undefined && !(isScalar(node) && node.value === null)) {
    throw new YamlEditError(`${formatYamlPath(list)} is not a list of steps.`);
  }
  const seq = doc.createNode([]) as YAMLSeq;
  doc.setIn([...body, ...list], seq);
  return seq;
}

/** Inserts `node` into `seq` at `index`, following the list's blank-line style. */
function insertItem(seq: YAMLSeq, index: number, node: { spaceBefore?: boolean }): void {
  const spaced = seq.items.slice(1).some((item) => (item as { spaceBefore?: boolean }).spaceBefore);
  seq.flow = false;
  if (spaced && index > 0) node.spaceBefore = true;
  if (spaced && index === 0 && seq.items[0]) (seq.items[0] as { spaceBefore?: boolean }).spaceBefore = true;
  seq.items.splice(index, 0, node as never);
}

/** A workflow written as a single top-level `action:` becomes `steps:` with that one step, so steps can be added. */
function ensureStepList(doc: Document, body: YamlPath): void {
  const map = doc.getIn(body, true) ?? doc.contents;
  if (!isMap(map) || map.has('steps')) return;
  const pair = map.items.find((item) => isScalar(item.key) && item.key.value === 'action');
  if (!pair || !isScalar(pair.key)) return;
  // The pair is changed in place, so comments above `action:` stay above `steps:`.
  pair.key.value = 'steps';
  pair.value = doc.createNode([{ action: toPlain(pair.value) }]);
}

/** Inserts a step (`{name, action: {...}}`, `{name, condition: {...}}`, ...) at `place`. */
export function insertStep(text: string, place: StepPlace, step: Raw): string {
  return editWorkflow(text, (doc, body) => {
    if (place.list.length === 1 && place.list[0] === 'steps') ensureStepList(doc, body);
    const seq = seqAt(doc, body, place.list, true)!;
    const index = Math.max(0, Math.min(place.index, seq.items.length));
    insertItem(seq, index, doc.createNode(step) as never);
  });
}

function splitStepPath(at: YamlPath): StepPlace {
  const index = at.at(-1);
  if (typeof index !== 'number') throw new YamlEditError(`${formatYamlPath(at)} is not a step.`);
  return { list: at.slice(0, -1), index };
}

/** Removes the step at `at` (with its branches or loop steps). */
export function deleteStep(text: string, at: YamlPath): string {
  return editWorkflow(text, (doc, body) => {
    const { list, index } = splitStepPath(at);
    const seq = seqAt(doc, body, list, false);
    if (!seq?.items[index]) throw new YamlEditError(`There is no step at ${formatYamlPath(at)}.`);
    seq.items.splice(index, 1);
  });
}

/** Moves the step at `from` to `to` (an index in the list as it is before the move). */
export function moveStep(text: string, from: YamlPath, to: StepPlace): string {
  const source = splitStepPath(from);
  const inside = to.list.length > from.length && from.every((segment, i) => to.list[i] === segment);
  if (inside) throw new YamlEditError('A step cannot be moved into its own branches or loop.');
  return editWorkflow(text, (doc, body) => {
    const fromSeq = seqAt(doc, body, source.list, false);
    const node = fromSeq?.items[source.index];
    if (!fromSeq || !node) throw new YamlEditError(`There is no step at ${formatYamlPath(from)}.`);
    // The target list is looked up before the removal: its node stays the same object
    // even when removing the step shifts the indices on the way to it.
    const toSeq = seqAt(doc, body, to.list, true)!;
    const index = toSeq === fromSeq && source.index < to.index ? to.index - 1 : to.index;
    fromSeq.items.splice(source.index, 1);
    (node as { spaceBefore?: boolean }).spaceBefore = false;
    insertItem(toSeq, Math.max(0, Math.min(index, toSeq.items.length)), node as never);
  });
}

/** A copy of `step` whose name and sub-steps' names are free ones. */
function renamedCopy(step: Raw, taken: Set<string>): Raw {
  const copy = structuredClone(step);
  const rename = (s: Raw) => {
    const base = typeof s.name === 'string' ? s.name : undefined;
    if (base) {
      s.name = freeName(taken, `${base} copy`);
      taken.add(stepSlug(s.name as string));
    }
    if (isRecord(s.condition))
      for (const branch of ['then', 'else']) for (const inner of (s.condition[branch] as Raw[]) ?? []) rename(inner);
    for (const key of ['loop', 'for_each']) if (isRecord(s[key])) for (const inner of ((s[key] as Raw).steps as Raw[]) ?? []) rename(inner);
  };
  rename(copy);
  return copy;
}

/** Inserts a copy of the step at `at` right after it; the copy and its sub-steps get free names. */
export function duplicateStep(text: string, at: YamlPath): string {
  return editWorkflow(text, (doc, body) => {
    const { list, index } = splitStepPath(at);
    const step = valueAt(doc, body, at);
    if (!isRecord(step)) throw new YamlEditError(`There is no step at ${formatYamlPath(at)}.`);
    const copy = renamedCopy(step, takenSlugs(doc, body));
    insertItem(seqAt(doc, body, list, false)!, index + 1, doc.createNode(copy) as never);
  });
}

/**
 * Gives the step at `at` a new name. References to it (`steps.<old slug>` in any string)
 * are rewritten to the new slug, so expressions keep pointing at the same step: those
 * lines change too.
 */
export function renameStep(text: string, at: YamlPath, name: string): string {
  return editWorkflow(text, (doc, body) => {
    const step = doc.getIn([...body, ...at], true);
    if (!isMap(step)) throw new YamlEditError(`There is no step at ${formatYamlPath(at)}.`);
    const before = step.get('name');
    const oldSlug = stepSlug(typeof before === 'string' ? before : String(valueAt(doc, body, [...at, 'action', 'type']) ?? ''));
    const nameNode = step.get('name', true);
    if (isScalar(nameNode)) nameNode.value = name;
    else step.items.unshift(doc.createPair('name', name) as never);
    const newSlug = stepSlug(name);
    if (!oldSlug || !newSlug || oldSlug === newSlug) return;
    const reference = new RegExp(`\\bsteps\\.${oldSlug}(?![A-Za-z0-9_])`, 'g');
    rewriteStrings(doc.contents, (value) => value.replace(reference, `steps.${newSlug}`));
  });
}

function rewriteStrings(node: unknown, rewrite: (value: string) => string): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string') {
      const next = rewrite(node.value);
      if (next !== node.value) node.value = next;
    }
  } else if (isMap(node)) {
    for (const pair of node.items) rewriteStrings(pair.value, rewrite);
  } else if (isSeq(node)) {
    for (const item of node.items) rewriteStrings(item, rewrite);
  }
}

/**
 * Sets the value at `path` (`['steps', 0, 'action']`, `['trigger']`, `['name']`) to `value`,
 * changing only what differs: equal keys keep their text, keys missing from `value` are
 * removed, new keys are added at the end. `undefined` removes the key.
 */
export function setValue(text: string, path: YamlPath, value: unknown): string {
  return editWorkflow(text, (doc, body) => {
    const full = [...body, ...path];
    if (value === undefined) {
      doc.deleteIn(full);
      return;
    }
    const node = doc.getIn(full, true);
    if (isMap(node) && isRecord(value)) patchMap(doc, node, value);
    else if (isScalar(node) && (value === null || typeof value !== 'object')) {
      if (node.value !== value) node.value = value;
    } else if (node === undefined && path.length === 1 && isMap(doc.getIn(body, true))) {
      insertKey(doc, doc.getIn(body, true) as YAMLMap, path[0] as string, value);
    } else if (!equalValues(node === undefined ? undefined : toPlain(node), value)) {
      const created = doc.createNode(value) as { spaceBefore?: boolean; commentBefore?: string | null };
      if (node && typeof node === 'object') {
        created.spaceBefore = (node as { spaceBefore?: boolean }).spaceBefore;
        created.commentBefore = (node as { commentBefore?: string | null }).commentBefore ?? null;
      }
      doc.setIn(full, created);
    }
  });
}

// Top-level keys in the order the spec writes them; a new key goes before the first later one.
const bodyOrder = [
  'name',
  'slug',
  'description',
  'trigger',
  'concurrency',
  'queue',
  'priority',
  'timeout',
  'vars',
  'steps',
  'action',
  'error_handling',
];

function insertKey(doc: Document, map: YAMLMap, key: string, value: unknown): void {
  const rank = bodyOrder.indexOf(key);
  const later = map.items.findIndex((pair) => {
    const other = bodyOrder.indexOf(String(isScalar(pair.key) ? pair.key.value : pair.key));
    return rank >= 0 && other > rank;
  });
  const pair = doc.createPair(key, value);
  if (later < 0) map.items.push(pair as never);
  else map.items.splice(later, 0, pair as never);
}

function patchMap(doc: Document, map: YAMLMap, value: Raw): void {
  for (const pair of [...map.items]) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (typeof key === 'string' && !(key in value)) map.delete(key);
  }
  for (const [key, next] of Object.entries(value)) {
    if (next === undefined) continue;
    const node = map.get(key, true);
    if (isMap(node) && isRecord(next)) patchMap(doc, node, next);
    else if (isScalar(node) && (next === null || typeof next !== 'object')) {
      setScalar(node, next);
    } else if (node === undefined || !equalValues(toPlain(node), next)) map.set(key, doc.createNode(next));
  }
}

/** A new value in an existing scalar keeps its quoting, unless it was empty (`""` is quoted only because it is empty). */
function setScalar(node: Scalar, value: unknown): void {
  if (node.value === value) return;
  if (node.value === '' || node.value === null) node.type = undefined;
  node.value = value;
}

function equalValues(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The trigger's path: `trigger`, or `steps[0].trigger` when the first step is the trigger. */
export function triggerPath(text: string): YamlPath {
  const opened = openWorkflow(text);
  if (opened.ok && opened.doc.hasIn([...opened.body, 'steps', 0, 'trigger'])) return ['steps', 0, 'trigger'];
  return ['trigger'];
}

/** Sets (or with null removes) the workflow's trigger, wherever the document keeps it. */
export function setTrigger(text: string, trigger: Raw | null): string {
  const at = triggerPath(text);
  if (trigger === null && at[0] === 'steps') return deleteStep(text, ['steps', 0]);
  return setValue(text, at, trigger ?? undefined);
}

/** `steps[2].condition.then` */
export function formatYamlPath(path: YamlPath): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}
