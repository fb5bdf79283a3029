// Public surface of the expression engine; see README.md for the language.
export { compileExpression, setExpressionLimits, type CompiledExpression, type ExpressionLimits, type ExpressionMode } from './compile.js';
export type { ExpressionContext } from './context.js';
export { ExpressionError } from './errors.js';
export { callableNames } from './helpers.js';
export type { StepReference } from './syntax-tree.js';
export { compileTemplate, interpolate, isSingleExpression, parseTemplate, type CompiledTemplate, type TemplatePart } from './template.js';
export {
  compileItemExpression,
  evaluateAggregate,
  evaluateFilter,
  evaluateMap,
  evaluateSort,
  type AggregateSpec,
  type SortSpec,
} from './transform.js';
