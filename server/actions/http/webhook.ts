// `webhook`: posts a JSON payload somewhere, typically an alert from on_failure:
//
//   on_failure:
//     - type: webhook
//       url: https://monitoring.example.com/alerts
//
// Without a `body`, the payload is {workflow, workflow_slug, run_id, error}.
import { z } from 'zod';
import { defineAction } from '../../core/action.js';
import { durationParam } from './duration-param.js';
import { performHttp } from './http-call.js';
import { statusError } from './status-errors.js';
import { headerParams, resolveTarget } from './target.js';
import { stringRecord, templatedValue } from '../../core/param-schemas.js';
import { yamlTimeout, yamlUrl } from './yaml-params.js';

const params = z.object({
  url: z.string().min(1),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  headers: headerParams.optional(),
  body: z.unknown().optional(),
  timeout: durationParam.optional(),
});

export const webhookAction = defineAction({
  type: 'webhook',
  title: 'Send a webhook',
  params,
  authoring: (action) =>
    action({
      url: yamlUrl,
      method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
      headers: stringRecord.optional(),
      body: templatedValue.optional().meta({ description: 'Default: the run, the workflow and the error as JSON.' }),
      timeout: yamlTimeout,
    }),
  async run(ctx, p) {
    const body = p.body ?? {
      workflow: ctx.run.workflowName,
      workflow_slug: ctx.run.workflowSlug,
      run_id: ctx.run.id,
      error: ctx.expressionContext.error ?? null,
    };
    const target = await resolveTarget(ctx, p);
    const { output, answer } = await performHttp(ctx, {
      method: p.method,
      target,
      body,
      bodyType: typeof body === 'string' ? 'text' : 'json',
      timeoutMs: p.timeout,
    });
    const error = statusError(answer, ctx.redact);
    if (error) throw error;
    return output;
  },
});
