// The answer to an accepted webhook. By default `202 {"run_id"}` as soon as the run is
// committed. The trigger's `respond:` may set the status, headers and body (templates
// over `trigger` and `run`). A caller sending `Prefer: wait=<seconds>` (RFC 7240)
// waits for the result instead: 200 with the run's output, 500 with the failing step's
// error, 409 if it was cancelled, or the 202 answer with Location when time runs out.
import type { CompiledTemplate } from '../../expression/index.js';
import { cachedTemplate } from '../../expression/template-cache.js';
import type { WebhookTrigger } from '../../workflow/types.js';
import type { FinishedRun } from './run-waiter.js';
import type { WebhookPayload } from './trigger-payload.js';

export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Seconds the caller asks to wait (`Prefer: wait=10`), capped at `maxMs`; null when it does not ask. */
export function preferredWaitMs(prefer: string | undefined, maxMs: number): number | null {
  const match = /(?:^|[,;\s])wait\s*=\s*"?(\d+)"?/i.exec(prefer ?? '');
  if (!match || /respond-async/i.test(prefer ?? '')) return null;
  return Math.min(Number(match[1]) * 1000, maxMs);
}

function locationOf(runId: string): Record<string, string> {
  return { Location: `/api/runs/${runId}` };
}

type Respond = NonNullable<WebhookTrigger['respond']>;
/** Headers and body of `respond:`, compiled once per trigger definition. */
function respondTemplate(respond: Respond): CompiledTemplate {
  return cachedTemplate({ headers: respond.headers ?? {}, body: respond.body ?? null }, respond);
}

export async function acceptedResponse(
  trigger: WebhookTrigger,
  payload: WebhookPayload,
  runId: string,
  workflow: { slug: string },
): Promise<WebhookResponse> {
  const respond = trigger.respond;
  if (!respond) return { status: 202, headers: locationOf(runId), body: { run_id: runId } };
  const made = (await respondTemplate(respond).evaluate({ trigger: payload, run: { id: runId }, workflow })) as {
    headers?: Record<string, unknown>;
    body?: unknown;
  };
  const headers = Object.fromEntries(Object.entries(made.headers ?? {}).map(([k, v]) => [k, String(v)]));
  return {
    status: respond.status,
    headers: { ...headers, ...locationOf(runId) },
    body: respond.body === undefined ? { run_id: runId } : (made.body ?? null),
  };
}

export function finishedResponse(run: FinishedRun): WebhookResponse {
  const headers = { ...locationOf(run.id), 'X-KhaosFlow-Run-Id': run.id };
  switch (run.status) {
    case 'succeeded':
      return { status: 200, headers, body: run.output ?? null };
    case 'failed':
      return {
        status: 500,
        headers,
        body: {
          run_id: run.id,
          status: 'failed',
          error: {
            code: 'run_failed',
            message: run.error?.message ?? 'The run failed.',
            ...(run.error?.step ? { step: run.error.step } : {}),
          },
        },
      };
    case 'cancelled':
      return {
        status: 409,
        headers,
        body: {
          run_id: run.id,
          status: 'cancelled',
          error: { code: 'run_cancelled', message: 'The run was cancelled before it finished.' },
        },
      };
  }
}

export function stillRunningResponse(runId: string): WebhookResponse {
  return { status: 202, headers: locationOf(runId), body: { run_id: runId } };
}
