// What the service layer (server/runs/, server/workflows/) throws when it refuses a
// request. Callers turn it into their own answer in one place each: the HTTP API in
// server/http/service-errors.ts, the console in app/context.ts, the CLI prints the
// message. `kind` says what went wrong, `code` is the API's stable error code.
import { WorkflowUnavailableError } from './queue/enqueue-run.js';

export type ServiceErrorKind = 'not_found' | 'conflict' | 'invalid';

export class ServiceError extends Error {
  constructor(
    readonly kind: ServiceErrorKind,
    readonly code: string,
    message: string,
    /** Per-field messages (`{environment: 'is required'}`) for a form or an API client to show next to each field. */
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** @example notFound(`workflow "${slug}"`) says `There is no workflow "backup".` */
export const notFound = (what: string) => new ServiceError('not_found', 'not_found', `There is no ${what}.`);

/** The engine's refusal to start a run (no such workflow, or disabled), in the service layer's terms. */
export function fromWorkflowUnavailable(err: WorkflowUnavailableError): ServiceError {
  return err.reason === 'disabled'
    ? new ServiceError('conflict', 'workflow_disabled', err.message)
    : new ServiceError('not_found', 'not_found', err.message);
}

/** Runs `start`, turning the engine's WorkflowUnavailableError into a ServiceError. */
export async function startingRun<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    if (err instanceof WorkflowUnavailableError) throw fromWorkflowUnavailable(err);
    throw err;
  }
}
