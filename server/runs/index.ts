// The run operations every caller (HTTP API, console, CLI) uses; see README.md.
export { cancelRun, canRetry, retryRun, type RetryOptions } from './control.js';
export { findRun, getRun, listRuns, runStatusOf, type RunFilter, type RunListItem, type RunStatus, type RunView } from './read.js';
export { manualRunData, startManualRun, type ManualRunRequest } from './start-manual.js';
export { RUN_EVENTS_POLL_MS, runEvents, type RunEvent, type RunStatusEvent, type StepEvent } from './events.js';
export {
  BULK_LIMIT,
  cancelRuns,
  checked,
  retryRuns,
  runFilterSchema,
  runListQuerySchema,
  searchRuns,
  type BulkResult,
  type RunFilterInput,
  type RunListQuery,
  type RunPage,
} from './history.js';
