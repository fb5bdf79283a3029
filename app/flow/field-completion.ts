// Completion in the side panel's `{{ }}` fields: the YAML editor's completion source
// (app/editor/expression-completion.ts: trigger.*, steps.<slug>.result, vars.*,
// secrets.*), fed from the builder's graph instead of the text above the cursor. A
// field holds one param, not the document, so the steps before the selected node are
// read from the graph; everything else is the editor's own answer.
import { stepSlug } from '../../server/workflow/slugs.js';
import { type ExpressionNames, type ExpressionOption, expressionOptions } from '../editor/expression-completion.js';
import type { BuilderGraph, BuilderNode } from './document-graph.js';

export interface FieldCompletionContext extends ExpressionNames {
  /** Slugs of the steps written before the node being edited, in order. */
  earlierSteps: string[];
}

const STEP_KINDS = new Set(['action', 'condition', 'loop']);

/**
 * Slugs of the steps written before `node` (its own `slug:` if it has one, else the slug of
 * its name), as the YAML editor offers the steps above the cursor. An on_failure action
 * comes after every step.
 */
export function stepsBefore(graph: BuilderGraph, node: BuilderNode): string[] {
  const steps = graph.nodes.filter((n) => n.at && STEP_KINDS.has(n.kind));
  const index = steps.findIndex((n) => n.id === node.id);
  const before = node.kind === 'on_failure' ? steps : index < 0 ? (node.kind === 'trigger' ? [] : steps) : steps.slice(0, index);
  return before.map((n) => (typeof n.step?.slug === 'string' ? n.step.slug : stepSlug(n.label)));
}

/** What may be typed at `cursor` in a field holding `text`, or null outside `{{ }}`. */
export function fieldCompletion(
  text: string,
  cursor: number,
  context: FieldCompletionContext,
): { from: number; options: ExpressionOption[] } | null {
  const found = expressionOptions(text, cursor, context);
  if (!found) return null;
  // The editor finds earlier steps in the document above the cursor; a field has none of it.
  const lineStart = text.lastIndexOf('\n', cursor - 1) + 1;
  const path = /([\w.]*)$/.exec(text.slice(lineStart, cursor))?.[1] ?? '';
  if (/^steps\.\w*$/.test(path)) {
    const word = path.slice('steps.'.length);
    return {
      from: found.from,
      options: context.earlierSteps.filter((slug) => slug.startsWith(word)).map((label) => ({ label, detail: 'step above' })),
    };
  }
  return found;
}
