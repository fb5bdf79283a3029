// /hooks/<path>: webhooks. Order of checks: route (404), method (405), content type
// (415), body size (413), authentication (401/403), workflow enabled (409), body
// syntax (400); then the run is committed and the answer sent (202, or the result
// when the caller asked to wait). Nothing is acknowledged before its run exists.
import Router from '@koa/router';
import type Koa from 'koa';
import { triggerRun, WorkflowUnavailableError } from '../../queue/enqueue-run.js';
import type { Services } from '../../services.js';
import { authenticateWebhook, credentialHeaders } from '../../triggers/webhook/authenticate.js';
import type { Webhooks } from '../../triggers/webhook/index.js';
import { bodyKind, parseBody, queryFields } from '../../triggers/webhook/request-body.js';
import {
  acceptedResponse,
  finishedResponse,
  preferredWaitMs,
  stillRunningResponse,
  type WebhookResponse,
} from '../../triggers/webhook/respond.js';
import { visibleHeaders, webhookDedupeKey, type WebhookPayload } from '../../triggers/webhook/trigger-payload.js';
import { readRawBody } from '../../core/http-body.js';
import { HttpError } from '../../core/http-error.js';

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

export function webhookRoutes(services: Services, webhooks: Webhooks): Router {
  const router = new Router();

  router.all('/hooks/{*path}', async (ctx) => {
    const hookPath = ctx.path.slice('/hooks'.length) || '/';
    const found = await webhooks.routes.match(hookPath, ctx.method);
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
    await authenticateWebhook(services, route.slug, trigger.authentication, { headers: ctx.headers, rawBody: raw, now: new Date() });
    if (found.kind === 'disabled') {
      throw new HttpError(
        409,
        'workflow_disabled',
        `Workflow "${route.slug}" is disabled, so its webhook starts no runs; enable it (POST /api/workflows/${route.slug}/enable).`,
      );
    }

    const payload: WebhookPayload = {
      data: kind && raw.length > 0 ? parseBody(raw, kind) : {},
      headers: visibleHeaders(ctx.headers, credentialHeaders(trigger.authentication)),
      query: queryFields(ctx.querystring),
      method: ctx.method,
      path: hookPath,
    };
    const dedupeKey = await webhookDedupeKey(trigger, payload, ctx.get('idempotency-key') || undefined);

    let runId: string;
    try {
      runId = await triggerRun(services.pool, route.slug, 'webhook', { ...payload }, dedupeKey);
    } catch (err) {
      if (err instanceof WorkflowUnavailableError) {
        throw new HttpError(
          err.reason === 'not_found' ? 404 : 409,
          err.reason === 'not_found' ? 'not_found' : 'workflow_disabled',
          err.message,
        );
      }
      throw err;
    }

    // `respond: sync` in the workflow, or a caller's `Prefer: wait=N`, waits for the result.
    const syncMs = trigger.respond?.mode === 'sync' ? Math.min(trigger.respond.timeout, webhooks.settings.maxWaitMs) : null;
    const waitMs = preferredWaitMs(ctx.get('prefer') || undefined, webhooks.settings.maxWaitMs) ?? syncMs;
    if (waitMs === null) {
      send(ctx, await acceptedResponse(trigger, payload, runId, { slug: route.slug }));
      return;
    }
    // A caller that hangs up stops the wait, not the run.
    const gone = new AbortController();
    ctx.res.once('close', () => gone.abort());
    const finished = await webhooks.waiter.wait(runId, waitMs, gone.signal);
    if (ctx.get('prefer')) ctx.set('Preference-Applied', `wait=${Math.round(waitMs / 1000)}`);
    send(ctx, finished ? finishedResponse(finished) : stillRunningResponse(runId));
  });

  return router;
}
