// `log`: writes a line into the step's logs and the server log. Used in on_failure
// (`message: "{{error.message}}"`) and for tracing data through a workflow.
import { z } from 'zod';
import { defineAction } from '../core/action.js';
import { templatedValue } from '../core/param-schemas.js';

const params = z.object({
  level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  message: z.unknown().transform((m) => (typeof m === 'string' ? m : (JSON.stringify(m) ?? ''))),
  data: z.unknown().optional(),
});

export const logAction = defineAction({
  type: 'log',
  title: 'Log a message',
  params,
  authoring: (action) =>
    action({
      level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
      message: z.string(),
      data: templatedValue.optional(),
    }),
  pure: true,
  async run(ctx, p) {
    ctx.log(p.level, p.message, p.data);
    const fields = { run: ctx.run.id, workflow: ctx.run.workflowSlug, step: ctx.step.name };
    // The step record is redacted by the engine; the server log is ours to redact.
    ctx.services.logger[p.level](fields, ctx.redact(p.message));
    return { level: p.level, message: p.message, ...(p.data === undefined ? {} : { data: p.data }) };
  },
});
