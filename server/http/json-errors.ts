// Turns errors thrown by routes into JSON responses: {"error": {"code", "message", "details"}}.
import type Koa from 'koa';
import { HttpError } from '../core/http-error.js';
import type { Logger } from '../logger.js';

/** Maps thrown errors to JSON; unexpected ones are logged and answered with a 500 that leaks nothing. */
export function jsonErrors(logger: Logger): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof HttpError) {
        ctx.status = err.status;
        if (err.headers) ctx.set(err.headers);
        ctx.body = { error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } };
        return;
      }
      const status = (err as { status?: number; expose?: boolean }).status;
      if (status && status >= 400 && status < 500 && (err as { expose?: boolean }).expose) {
        ctx.status = status;
        ctx.body = { error: { code: 'bad_request', message: (err as Error).message } };
        return;
      }
      logger.error({ err, method: ctx.method, path: ctx.path }, 'request failed');
      ctx.status = 500;
      ctx.body = { error: { code: 'internal', message: 'KhaosFlow hit an unexpected error; the server log has the details.' } };
    }
  };
}
