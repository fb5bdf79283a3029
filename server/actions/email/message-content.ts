// The subject and parts of an email: a named template rendered with the step's data
// (values HTML-escaped in the html part), or inline text/html. A template sees the
// run (trigger, steps, vars, workflow, run) and the step's `data` at its top level;
// without `data`, the trigger's data stands in, so the spec's `template: welcome` can
// greet `{{name}}` from the webhook that started the run.
import { NonRetryableError } from '../../core/errors.js';
import { previewTemplate } from '../../email-templates/render.js';
import { renderMarkup } from '../http/escaped-template.js';
import type { ActionContext } from '../../core/action.js';

export interface MessageContent {
  subject: string;
  text?: string;
  html?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Subjects are one line: data cannot add header lines. */
const oneLine = (text: string) => text.replace(/[\r\n]+\s*/g, ' ').trim();

function templateData(ctx: ActionContext, data: unknown): Record<string, unknown> {
  const e = ctx.expressionContext;
  const trigger = e.trigger as { data?: unknown } | undefined;
  const own = data === undefined ? trigger?.data : data;
  if (own !== undefined && !isObject(own))
    throw new NonRetryableError('send_email data must be an object of named values, e.g. data: {order_number: "{{trigger.data.id}}"}.');
  return { trigger: e.trigger, steps: e.steps, vars: e.vars, workflow: e.workflow, run: e.run, date: e.date, ...(own ?? {}) };
}

export async function messageContent(
  ctx: ActionContext,
  p: { subject?: string | undefined; template?: string | undefined; data?: unknown; text?: string | undefined; html?: string | undefined },
): Promise<MessageContent> {
  if (p.template) {
    const template = await ctx.services.emailTemplates.get(p.template);
    if (!template) {
      throw new NonRetryableError(
        `Email template "${p.template}" does not exist. Create it with \`khaosflow templates set ${p.template} --subject "..." --html-file ...\`, in the console, or as $KHAOSFLOW_HOME/templates/${p.template}.yaml (subject, html, text).`,
      );
    }
    let rendered;
    try {
      rendered = await previewTemplate(template, templateData(ctx, p.data));
    } catch (err) {
      throw new NonRetryableError((err as Error).message);
    }
    return {
      subject: oneLine(p.subject ?? rendered.subject),
      ...(rendered.text !== null ? { text: rendered.text } : {}),
      ...(rendered.html !== null ? { html: rendered.html } : {}),
    };
  }
  if (p.subject === undefined) throw new NonRetryableError('send_email needs a subject (or a template that has one).');
  const html = p.html === undefined ? undefined : await renderMarkup(p.html, ctx.expressionContext, ctx.step.name);
  // A message with neither part (the spec's on_failure alert has only a subject) gets an empty text.
  const text = p.text ?? (html === undefined ? '' : undefined);
  return { subject: oneLine(p.subject), ...(text === undefined ? {} : { text }), ...(html === undefined ? {} : { html }) };
}
