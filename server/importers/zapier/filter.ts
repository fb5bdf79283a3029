// Filter by Zapier (FilterAPI): "only continue if". KhaosFlow has no step that ends a
// run early, so the filter becomes a condition whose `then:` holds the rest of the zap,
// and whose `else:` logs that the filter stopped it - the run history then says why
// nothing else happened, as Zapier's "stopped by filter" does.
import type { Conversion, NodeConverter, ZapContext } from './context.js';
import { readCriteria, rulesExpression } from './filter-rules.js';
import { appKey } from './naming.js';
import type { ZapNode } from './types.js';

export const filterConverter: NodeConverter = {
  // A Paths rule outside a Paths step (list-form exports) behaves as a filter too.
  matches: (node) => appKey(node.app) === 'FilterAPI' || (appKey(node.app) === 'BranchingAPI' && node.action === 'filter'),
  wraps: true,
  convert(node: ZapNode, ctx: ZapContext): Conversion {
    const name = ctx.stepName(node, node.title ?? 'Filter');
    ctx.outputs.set(node.id, { kind: 'none', why: `node ${node.id} is a filter, which has no data` });
    const rules = rulesExpression(readCriteria(node.params), node, ctx);
    const then = ctx.stepsAfter(node, ctx);
    const stopped = ctx.names.take(`${name} Stopped`, `Filter ${node.id} Stopped`);
    const step = {
      name,
      condition: {
        if: `{{ ${rules.expression} }}`,
        then,
        else: [
          {
            name: stopped,
            action: { type: 'log', message: `The filter "${name}" did not pass, so the rest of the zap did not run (as in Zapier).` },
          },
        ],
      },
    };
    return {
      steps: [step],
      status: rules.faithful ? 'converted' : 'needs_review',
      became: { name, type: 'condition' },
      notes: ['the steps after the filter run in its then: branch; else: logs that the filter stopped the run', ...rules.notes],
    };
  },
};
