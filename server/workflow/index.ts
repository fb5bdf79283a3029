// Public surface of the workflow language; see README.md.
export { parseWorkflow, type ParseOptions } from './parse-workflow.js';
export { workflowJsonSchema } from './json-schema.js';
export { naturalScheduleToCron, type NaturalScheduleResult } from './schedule/natural-schedule.js';
export { canonicalTimeZone } from './schedule/check-schedule.js';
export { stepSlug, workflowSlug } from './slugs.js';
export { parseDuration } from '../core/duration.js';
export {
  actionTypeNames,
  paramKinds,
  registerActionSchema,
  unregisterActionSchema,
  type ParamKinds,
} from './schema/actions.js';
export type * from './types.js';
