// The only cases of JSONata's official suite whose results differ through our engine, each
// with its reason. Everything else must give plain JSONata's result (jsonata-conformance.test.ts).

const calledWithoutDollar =
  'Functions may be called without `$` (sum(x), substring(?, 0, ?)): an addition for the spec’s shapes. Plain JSONata rejects the call of a non-function.';
export const runContext =
  'In a template, `$` and `$$` are the run context (trigger, steps, vars, ...), not the document; functions that default to `$` ($each, $sift, $eval with one argument) see it too. A top-level wildcard `*` ranges over the run context too. The document’s fields are reached as bare names (under `vars`).';

/** Item mode: the document is the element, as in filter/map/sort transforms. */
export const itemDifferences: Record<string, string> = {
  'errors/case006': calledWithoutDollar,
  'partial-application/case003': calledWithoutDollar,
};

/** Template mode: the document's fields are the run's variables, reached as bare names. */
export const templateDifferences: Record<string, string> = {
  ...itemDifferences,
  'blocks/case005': runContext,
  'blocks/case006': runContext,
  'flattening/case045': runContext,
  'function-each/case002': runContext,
  'function-eval/case003': runContext,
  'function-lookup/case003': runContext,
  'function-sift/case000': runContext,
  'function-sift/case002': runContext,
  'performance/case000': runContext,
  'performance/case001': runContext,
  'simple-array-selectors/case014': runContext,
  'token-conversion/case000': runContext,
  'token-conversion/case001': runContext,
  'transform/case002': runContext,
  'transform/case030': runContext,
  'transforms/case000': runContext,
  'transforms/case002': runContext,
  'transforms/case003': runContext,
  'transforms/case004': runContext,
  'transforms/case005': runContext,
  'transforms/case006': runContext,
  'transforms/case013': runContext,
  'transforms/case014': runContext,
  'variables/case003': runContext,
  'wildcards/case007': runContext,
  'wildcards/case008': runContext,
  'wildcards/case006': runContext,
};

/** Cases that bound time or depth, run with our bounds set to theirs, that hit a bound of ours instead. */
export const boundDifferences: Record<string, string> = {
  'range-operator/case021':
    'Every list an evaluation builds is bounded at 1,000,000 items (setExpressionLimits.maxSequence); [1..10000000] is stopped with an error.',
  'range-operator/case024': 'The same 1,000,000-item bound: [100..10000099] is stopped with an error.',
};
