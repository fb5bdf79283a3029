// Errors the HTTP layer turns into JSON responses: {"error": {"code", "message", "details"}}
// (server/http/json-errors.ts). Here at the bottom so webhook triggers and controllers can throw them.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} was not found.`);
export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'bad_request', message, details);
