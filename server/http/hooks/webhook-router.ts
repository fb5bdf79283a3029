// /hooks/<path>: webhooks. Order of checks: route (404), method (405), content type
// (415), body size (413), authentication (401/403), workflow enabled (409), body
// syntax (400); then the run is committed and the answer sent (202, or the result
// when the caller asked to wait). Nothing is acknowledged before its run exists.
// /hooks-test/<path>: the same checks, then the request is kept as a test sample while
// a capture is open (POST /api/workflows/<slug>/listen) and no run starts.
import Router from '@koa/router';
import type Koa from 'koa';
import type { LocalRuns } from '../../engine/local-runs.js';
import { type AcceptedRun, IntakeUnavailableError, intakeFor } from '../../queue/intake-batch.js';
import type { Services } from '../../services.js';
import { authenticateWebhook, credentialHeaders, type WebhookCaller } from '../../triggers/webhook/authenticate.js';
import type { Webhooks } from '../../triggers/webhook/index.js';
import { forgetSignature, rememberSignature } from '../../triggers/webhook/replay-guard.js';
import { bodyKind, parseBody, queryFields } from '../../triggers/webhook/request-body.js';
import {
  acceptedResponse,
  finishedResponse,
  preferredWaitMs,
  stillRunningResponse,
  type WebhookResponse,
} from '../../triggers/webhook/respond.js';
import { normalizeHookPath } from '../../triggers/webhook/route-table.js';
import { draftCapture, recordSample } from '../../triggers/webhook/samples.js';
import { visibleHeaders, webhookDedupeKey, type WebhookPayload } from '../../triggers/webhook/trigger-payload.js';
import { readRawBody } from '../../core/http-body.js';
import { HttpError } from '../../core/http-error.js';
import { isDatabaseUnavailable } from '../../../db/unavailable.js';

// A database restart or failover lasts seconds: tell senders (most retry on 503) when to come back.
const RETRY_AFTER = { 'Retry-After': '2' };

/**
 * While the database is away nothing can be accepted durably: answer 503 with
 * Retry-After at once (the sender keeps the event and retries), not a 500 that reads
 * like a bug in the request.
 */
async function answerOutages(_ctx: Koa.Context, next: Koa.Next): Promise<void> {
  try {
    await next();
  } catch (err) {
    if (err instanceof IntakeUnavailableError || isDatabaseUnavailable(err)) {
      throw new HttpError(
        503,
        'intake_unavailable',
        err instanceof IntakeUnavailableError
          ? err.message
          : 'The database is unavailable, so the event could not be saved; nothing was started. Try again.',
        undefined,
        RETRY_AFTER,
      );
    }
    throw err;
  }
}

function hasBody(ctx: Koa.Context): boolean {
  return Number(ctx.get('content-length') || 0) > 0 || ctx.get('transfer-encoding') !== '';
}

function send(ctx: Koa.Context, response: WebhookResponse): void {
  ctx.status = response.status;
  ctx.set(response.headers);
  // JSON even for a string or null output, so the caller always parses the same way.
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(response.body);
}

/**
 * The webhook routes. With `localRuns` (a process that also runs a worker), a run whose
 * answer waits for it (`respond: sync`, `Prefer: wait`) executes in this process.
 */
export function webhookRoutes(services: Services, webhooks: Webhooks, localRuns: LocalRuns | null = null): Router {
  const router = new Router();

  /** Route, method, size and authentication checks shared by /hooks and /hooks-test. */
  async function intake(ctx: Koa.Context, prefix: '/hooks' | '/hooks-test') {
    const hookPath = ctx.path.slice(prefix.length) || '/';
    // A test event for an unsaved draft is checked against the draft's trigger.
    const draft = prefix === '/hooks-test' ? await draftCapture(services.pool, normalizeHookPath(hookPath), ctx.method) : null;
    const found = draft
      ? ({ kind: 'ok', route: { slug: draft.slug, enabled: true, trigger: draft.trigger } } as const)
      : await webhooks.routes.match(hookPath, ctx.method);
    if (found.kind === 'not_found') {
      throw new HttpError(
        404,
        'not_found',
        `No webhook at ${ctx.path}. A workflow with trigger type webhook and path ${hookPath} (or slug ${hookPath.slice(1)}) must be applied and enabled.`,
      );
    }
    if (found.kind === 'method_not_allowed') {
      throw new HttpError(
        405,
        'method_not_allowed',
        `The webhook at ${ctx.path} accepts ${found.allow.join(', ')}, not ${ctx.method}.`,
        undefined,
        { Allow: found.allow.join(', ') },
      );
    }
    if (found.kind === 'conflict') {
      throw new HttpError(
        409,
        'path_conflict',
        `Workflows ${found.slugs.map((s) => `"${s}"`).join(' and ')} both claim ${ctx.method} ${ctx.path}; give one of them another trigger path, or disable it.`,
      );
    }
    const { route } = found;
    const { trigger } = route;

    const kind = hasBody(ctx) ? bodyKind(ctx.get('content-type') || undefined) : null;
    const raw = kind ? await readRawBody(ctx, webhooks.settings.maxBodyBytes) : Buffer.alloc(0);
    const caller: WebhookCaller = await authenticateWebhook(services, route.slug, trigger.authentication, {
      headers: ctx.headers,
      rawBody: raw,
      now: new Date(),
      method: ctx.method,
      path: ctx.path,
      query: ctx.querystring,
    });
    // The body is parsed by the caller of intake, after the disabled check (400 comes after 409).
    const payload = (): WebhookPayload => ({
      data: kind && raw.length > 0 ? parseBody(raw, kind) : {},
      headers: visibleHeaders(ctx.headers, credentialHeaders(trigger.authentication)),
      query: queryFields(ctx.querystring),
      method: ctx.method,
      path: hookPath,
    });
    return { disabled: found.kind === 'disabled', route, trigger, caller, payload };
  }

  router.all('/hooks-test/{*path}', answerOutages, async (ctx) => {
    const { route, payload } = await intake(ctx, '/hooks-test');
    const sample = await recordSample(services.pool, route.slug, payload());
    if (!sample) {
      throw new HttpError(
        409,
        'not_listening',
        `No test capture is open for workflow "${route.slug}": start one with POST /api/workflows/${route.slug}/listen (it stays open 2 minutes).`,
      );
    }
    ctx.status = 200;
    ctx.body = { sample_id: sample.id, message: 'Recorded as a test sample; no run was started.' };
  });

  router.all('/hooks/{*path}', answerOutages, async (ctx) => {
    const { disabled, route, trigger, caller, payload: parse } = await intake(ctx, '/hooks');
    if (disabled) {
      throw new HttpError(
        409,
        'workflow_disabled',
        `Workflow "${route.slug}" is disabled, so its webhook starts no runs; enable it (POST /api/workflows/${route.slug}/enable).`,
      );
    }
    const payload = parse();
    const dedupeKey = await webhookDedupeKey(trigger, payload, {
      idempotencyKey: ctx.get('idempotency-key') || undefined,
      deliveryId: caller.deliveryId,
      credential: caller.credential,
    });
    if (caller.replay) await rememberSignature(services.pool, route.slug, caller.replay.signature, caller.replay.until);

    // `respond: sync` in the workflow waits for the result. A caller's `Prefer: wait=N` is
    // honoured only where the workflow has `respond:` (it chose to hand out run results);
    // elsewhere any caller could read the output of a hook meant to answer 202 only.
    const syncMs = trigger.respond?.mode === 'sync' ? Math.min(trigger.respond.timeout, webhooks.settings.maxWaitMs) : null;
    const preferredMs = trigger.respond ? preferredWaitMs(ctx.get('prefer') || undefined, webhooks.settings.maxWaitMs) : null;
    const waitMs = preferredMs ?? syncMs;

    // A workflow without effects outside its runs answers from a run executed first and
    // written once, finished (server/engine/before-writing.ts). A request with a dedupe
    // key takes the usual path: its key is checked before anything runs.
    const waitFrom = Date.now();
    const workflow = 'workflow' in route ? route.workflow : undefined;
    if (waitMs !== null && localRuns && workflow && dedupeKey === null) {
      const ended = await localRuns
        .runBeforeWriting(
          {
            workflowId: workflow.id,
            version: workflow.version,
            slug: route.slug,
            workflowName: workflow.name,
            triggerKind: 'webhook',
            trigger: { ...payload },
          },
          waitMs,
        )
        .catch(async (err: unknown) => {
          if (caller.replay) await forgetSignature(services.pool, route.slug, caller.replay.signature).catch(() => undefined);
          throw err;
        });
      if (ended) {
        if (preferredMs !== null) ctx.set('Preference-Applied', `wait=${Math.round(waitMs / 1000)}`);
        send(ctx, finishedResponse(ended));
        return;
      }
    }

    // A workflow disabled or deleted meanwhile: server/http/service-errors.ts answers 409 or 404.
    // Accepted together with the requests arriving alongside: one commit for all of them.
    const here = waitMs !== null && localRuns?.reserve() === true;
    let accepted: AcceptedRun;
    try {
      const intake = intakeFor(services.pool, { queueLimit: services.config.intakeQueueLimit });
      accepted = here
        ? await intake.triggerHere(route.slug, 'webhook', { ...payload }, dedupeKey, localRuns!.id)
        : { runId: await intake.trigger(route.slug, 'webhook', { ...payload }, dedupeKey), jobId: null, inserted: null };
    } catch (err) {
      if (here) localRuns!.unreserve();
      if (caller.replay) await forgetSignature(services.pool, route.slug, caller.replay.signature).catch(() => undefined);
      throw err;
    }
    const { runId } = accepted;
    if (here) {
      if (accepted.jobId !== null) localRuns!.start(runId, accepted.jobId, accepted.inserted);
      else localRuns!.unreserve();
    }
    if (waitMs === null) {
      send(ctx, await acceptedResponse(trigger, payload, runId, { slug: route.slug }));
      return;
    }
    // A caller that hangs up stops the wait, not the run.
    const gone = new AbortController();
    ctx.res.once('close', () => gone.abort());
    // What a run tried before it was written took part of the wait.
    const finished = await webhooks.waiter.wait(runId, Math.max(0, waitMs - (Date.now() - waitFrom)), gone.signal);
    if (preferredMs !== null) ctx.set('Preference-Applied', `wait=${Math.round(waitMs / 1000)}`);
    send(ctx, finished ? finishedResponse(finished) : stillRunningResponse(runId));
  });

  return router;
}
