// Paths by Zapier (BranchingAPI): a `branch` node whose children are the paths, each a
// `filter` node with rules and its own chain of steps. Zapier runs every path whose
// rules match, in order - paths do not exclude each other - so each path becomes its
// own condition step, one after the other, not an if / else-if chain. Rules can only
// read data from before the branch, so running the paths in sequence cannot change
// which of them match.
import type { Conversion, NodeConverter, ZapContext } from './context.js';
import { readCriteria, rulesExpression } from './filter-rules.js';
import { appKey } from './naming.js';
import type { StepObject, ZapNode } from './types.js';

function pathStep(path: ZapNode, position: number, ctx: ZapContext): StepObject {
  const label =
    typeof path.params.emoji === 'string' && path.params.emoji.trim() !== '' ? `Path ${path.params.emoji.trim()}` : `Path ${position + 1}`;
  const name = ctx.stepName(path, path.title ?? label);
  ctx.scope.add(path.id);
  ctx.outputs.set(path.id, { kind: 'none', why: `node ${path.id} is a path rule, which has no data` });
  const rules = rulesExpression(readCriteria(path.params), path, ctx);
  const then = ctx.stepsAfter(path, ctx);
  ctx.scope.delete(path.id);
  const step = { name, condition: { if: `{{ ${rules.expression} }}`, then } };
  ctx.record(path, {
    steps: [step],
    became: { name, type: 'condition' },
    status: rules.faithful ? 'converted' : 'needs_review',
    notes: ['the path runs when its rules match; every matching path runs, as in Zapier', ...rules.notes],
  });
  return step;
}

export const pathsConverter: NodeConverter = {
  matches: (node) => appKey(node.app) === 'BranchingAPI' && node.action !== 'filter',
  wraps: true,
  convert(node: ZapNode, ctx: ZapContext): Conversion {
    ctx.outputs.set(node.id, { kind: 'none', why: `node ${node.id} is a Paths step, which has no data` });
    const paths = ctx.children(node);
    const steps = paths.map((path, position) => pathStep(path, position, ctx));
    const notes = [
      `its ${paths.length} paths became independent condition steps run in order (${steps.map((s) => s.name).join(', ')}), because Zapier runs every path whose rules match`,
    ];
    const others = paths.filter((path) => !(appKey(path.app) === 'BranchingAPI' && path.action === 'filter'));
    if (others.length)
      notes.push(`nodes ${others.map((p) => p.id).join(', ')} under it are not path rules; they were treated as paths without rules`);
    return {
      steps,
      status: 'converted',
      became: { name: steps.map((s) => s.name).join(', ') || '(no paths)', type: 'paths' },
      notes,
    };
  },
};
