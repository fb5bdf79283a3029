// Steps: names and slugs (one namespace for the whole tree, since `steps.<slug>` cannot
// say which branch it means), generated names for unnamed steps, and the normalized
// StepDefinition tree with paths the executor records in step_runs.
import { formatPath, type PathSegment } from './paths.js';
import type { RawAction, RawStep } from './raw-workflow.js';
import type { Reporter } from './reporter.js';
import { normalizeRetry } from './schema/retry.js';
import { stepSlug } from './slugs.js';
import type { ActionConfig, StepDefinition } from './types.js';

/** Every step of the workflow by slug, in document order. */
export interface StepIndexEntry {
  name: string;
  path: PathSegment[];
  /** Position in a depth-first walk of the tree: smaller runs (or may run) earlier. */
  order: number;
  /** For loop steps: the key the author used. */
  loopKey?: 'loop' | 'for_each';
  /** For action steps: where the action is written. */
  actionPath: PathSegment[];
}
export type StepIndex = Map<string, StepIndexEntry>;

export interface StepEntry {
  raw: RawStep;
  /** Where the step is, relative to the workflow body. */
  path: PathSegment[];
  /** Where its action is, when not at `<path>.action` (a top-level `action:` workflow). */
  actionPath?: PathSegment[];
}

function actionPathOf(entry: StepEntry): PathSegment[] {
  return entry.actionPath ?? [...entry.path, 'action'];
}

/** Builds the step tree of `entries` and the index of all step slugs. */
export function normalizeSteps(entries: StepEntry[], report: Reporter): { steps: StepDefinition[]; index: StepIndex } {
  const all = flatten(entries, report);
  const index: StepIndex = new Map();
  // Keyed by path: the same step is reached again through fresh entries when building.
  const names = new Map<string, { name: string; slug: string; generated: boolean }>();

  // Named steps first, so a generated name never takes a slug an author chose.
  for (const [order, entry] of all.entries()) {
    const name = entry.raw.name;
    if (name === undefined) continue;
    const slug = stepSlug(name);
    if (slug === '') {
      report.error(
        [...entry.path, 'name'],
        `the step name "${name}" has no letters or digits to make its slug (steps.<slug>) from; rename it`,
      );
      continue;
    }
    const earlier = index.get(slug);
    if (earlier) {
      report.error(
        [...entry.path, 'name'],
        `step "${name}" has the slug ${slug}, like step "${earlier.name}" on line ${report.lineOf([...earlier.path, 'name'])}; step slugs must be unique in the whole workflow (steps.${slug} would be ambiguous), so rename one`,
      );
      continue;
    }
    index.set(slug, { name, path: entry.path, order, actionPath: actionPathOf(entry), ...loopKeyOf(entry.raw) });
    names.set(formatPath(entry.path), { name, slug, generated: false });
  }
  for (const [order, entry] of all.entries()) {
    if (entry.raw.name !== undefined) continue;
    const base = entry.raw.action?.type ?? (entry.raw.condition ? 'condition' : 'loop');
    let slug = stepSlug(base);
    for (let n = 2; index.has(slug); n++) slug = `${stepSlug(base)}_${n}`;
    index.set(slug, { name: slug, path: entry.path, order, actionPath: actionPathOf(entry), ...loopKeyOf(entry.raw) });
    names.set(formatPath(entry.path), { name: slug, slug, generated: true });
  }

  const build = (entry: StepEntry): StepDefinition[] => {
    const identity = names.get(formatPath(entry.path));
    if (!identity) return []; // its name was rejected above
    return [buildStep(entry, identity, report, (children) => children.flatMap(build))];
  };
  return { steps: entries.flatMap(build), index };
}

function loopKeyOf(step: RawStep): { loopKey?: 'loop' | 'for_each' } {
  return step.loop ? { loopKey: 'loop' } : step.for_each ? { loopKey: 'for_each' } : {};
}

/** Every step of the tree, depth first, in document order. */
function flatten(entries: StepEntry[], report: Reporter): StepEntry[] {
  const all: StepEntry[] = [];
  const visit = (entry: StepEntry): void => {
    if (entry.raw.trigger) {
      report.error([...entry.path, 'trigger'], 'a trigger can only be the first step of the workflow (or the top-level trigger:)', 'key');
      return;
    }
    all.push(entry);
    childEntries(entry).forEach(visit);
  };
  entries.forEach(visit);
  return all;
}

function childEntries(entry: StepEntry): StepEntry[] {
  const { raw, path } = entry;
  const list = (steps: RawStep[] | undefined, at: PathSegment[]): StepEntry[] =>
    (steps ?? []).map((step, i) => ({ raw: step, path: [...at, i] }));
  if (raw.condition) {
    return [...list(raw.condition.then, [...path, 'condition', 'then']), ...list(raw.condition.else, [...path, 'condition', 'else'])];
  }
  const loopKey = raw.loop ? 'loop' : raw.for_each ? 'for_each' : undefined;
  if (loopKey) return list(raw[loopKey]!.steps, [...path, loopKey, 'steps']);
  return [];
}

function buildStep(
  entry: StepEntry,
  identity: { name: string; slug: string; generated: boolean },
  report: Reporter,
  buildChildren: (children: StepEntry[]) => StepDefinition[],
): StepDefinition {
  const { raw, path } = entry;
  const base = {
    name: identity.name,
    slug: identity.slug,
    path: formatPath(path),
    ...(raw.description === undefined ? {} : { description: raw.description }),
    ...(raw.timeout === undefined ? {} : { timeout_ms: raw.timeout }),
    ...(raw.continue_on_error === undefined ? {} : { continue_on_error: raw.continue_on_error }),
    ...(identity.generated ? { generated_name: true } : {}),
  };
  const children = childEntries(entry);
  if (raw.condition) {
    const thenCount = raw.condition.then.length;
    return {
      ...base,
      kind: 'condition',
      if: raw.condition.if,
      then: buildChildren(children.slice(0, thenCount)),
      else: buildChildren(children.slice(thenCount)),
    };
  }
  const loop = raw.loop ?? raw.for_each;
  if (loop) {
    return { ...base, kind: 'loop', over: loop.over, concurrency: loop.concurrency, steps: buildChildren(children) };
  }
  const { action, retry } = splitRetry(raw.action!, raw, actionPathOf(entry), report);
  return { ...base, kind: 'action', action, ...(retry ? { retry } : {}) };
}

/** The seed puts `retry` inside the action; it belongs to the step (the action is retried). */
function splitRetry(raw: RawAction, step: RawStep, actionPath: PathSegment[], report: Reporter) {
  const { retry: inner, ...action } = raw;
  if (inner && step.retry) {
    report.error([...actionPath, 'retry'], 'retry is given both on the step and inside its action; keep one', 'key');
  }
  const retry = step.retry ?? inner;
  return { action: action as ActionConfig, retry: retry ? normalizeRetry(retry) : undefined };
}
