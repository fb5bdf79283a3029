// The one place the HTTP layer maps the service layer's refusals (and the engine's
// WorkflowUnavailableError) to status codes: not found 404, conflict 409, invalid 422
// with the per-field messages in details.fields.
import type Koa from 'koa';
import { WorkflowUnavailableError } from '../queue/enqueue-run.js';
import { fromWorkflowUnavailable, ServiceError, type ServiceErrorKind } from '../service-errors.js';
import { HttpError } from '../core/http-error.js';

const STATUS: Record<ServiceErrorKind, number> = { not_found: 404, conflict: 409, invalid: 422 };

/** The HTTP answer for `err`, or null when it is not a service refusal. */
export function httpErrorOf(err: unknown): HttpError | null {
  const refusal = err instanceof WorkflowUnavailableError ? fromWorkflowUnavailable(err) : err;
  if (!(refusal instanceof ServiceError)) return null;
  return new HttpError(STATUS[refusal.kind], refusal.code, refusal.message, refusal.fields ? { fields: refusal.fields } : undefined);
}

/** Rethrows service refusals as HttpErrors for jsonErrors (mounted inside it). */
export function serviceErrors(): Koa.Middleware {
  return async (_ctx, next) => {
    try {
      await next();
    } catch (err) {
      throw httpErrorOf(err) ?? err;
    }
  };
}
