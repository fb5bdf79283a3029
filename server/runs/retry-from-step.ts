// "Re-run from here": which step attempts of an ended run a retry from step X carries
// over. X and everything after it in the document runs again; the steps before it keep
// their outputs (visible to later steps as steps.<slug>.result) and do not run again.
// Conditions around X keep their decision (X's branch is taken again); loops around X
// run again, but in each iteration the steps before X keep their outputs.
import type { StepDefinition } from '../workflow/types.js';

interface PlacedStep {
  slug: string;
  path: string;
  kind: StepDefinition['kind'];
  position: number;
}

/** Every step of the tree in document order (a condition's then before its else). */
export function stepsInOrder(steps: readonly StepDefinition[]): PlacedStep[] {
  const out: PlacedStep[] = [];
  const visit = (list: readonly StepDefinition[]) => {
    for (const step of list) {
      out.push({ slug: step.slug, path: step.path, kind: step.kind, position: out.length });
      if (step.kind === 'condition') {
        visit(step.then);
        visit(step.else);
      } else if (step.kind === 'loop') visit(step.steps);
    }
  };
  visit(steps);
  return out;
}

export interface RecordedStep {
  id: number;
  path: string;
  slug: string;
  status: string;
  attempt: number;
}

/** A step path without its loop iterations (`steps[1].loop.steps[0]@3` -> `steps[1].loop.steps[0]`). */
const withoutIterations = (path: string) => path.replace(/(@\d+)+$/, '');

/**
 * The ids of the attempts to carry over when re-running from step `fromStep`, or null
 * when the workflow has no such step.
 * @example carriedSteps(definition.steps, 'send_email', run.steps)
 */
export function carriedSteps(steps: readonly StepDefinition[], fromStep: string, recorded: readonly RecordedStep[]): number[] | null {
  const placed = stepsInOrder(steps);
  const from = placed.find((s) => s.slug === fromStep);
  if (!from) return null;
  const byPath = new Map(placed.map((s) => [s.path, s]));
  const before = (step: PlacedStep) => {
    if (step.position >= from.position) return false;
    // A loop around X must run again, or X would not.
    return !(step.kind === 'loop' && from.path.startsWith(`${step.path}.`));
  };
  const latest = new Map<string, RecordedStep>();
  for (const r of recorded) {
    if (r.status !== 'succeeded') continue;
    const step = byPath.get(withoutIterations(r.path));
    // The slug check keeps a path that means another step in another version out.
    if (!step || step.slug !== r.slug || !before(step)) continue;
    const kept = latest.get(r.path);
    if (!kept || r.attempt > kept.attempt) latest.set(r.path, r);
  }
  return [...latest.values()].map((r) => r.id).sort((a, b) => a - b);
}

/** The slugs a run may be re-run from, for an error message. */
export const stepSlugs = (steps: readonly StepDefinition[]): string[] => stepsInOrder(steps).map((s) => s.slug);
