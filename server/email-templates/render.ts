// Renders an email template's parts with the workflow expression language: `{{ }}`
// evaluated against the data the step gives (`{{order.id}}`, `{{customer.name}}`,
// helpers such as `{{date(order.created_at, 'D MMMM YYYY')}}`). Values are
// HTML-escaped in the html part; the subject is kept on one line so data cannot add
// mail headers.
import { compileExpression, interpolate, parseTemplate, type ExpressionContext } from '../expression/index.js';
import type { EmailTemplate } from './types.js';

export interface RenderedEmail {
  subject: string;
  html: string | null;
  text: string | null;
}

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEntities[c]!);
}

/**
 * The expression input for template data. The expression language reads a bare name
 * (`order`) as a variable (`vars.order`), so the data's own names join `vars`; run
 * context names in the data (`trigger`, `steps`, `vars`) keep their usual meaning.
 */
function expressionInput(data: Record<string, unknown>): Record<string, unknown> {
  const vars = typeof data.vars === 'object' && data.vars !== null ? (data.vars as Record<string, unknown>) : {};
  return { ...data, vars: { ...vars, ...data } };
}

/** Renders one part; `{{ }}` results are escaped for HTML when `html` is set. */
export async function renderEmailPart(source: string, data: Record<string, unknown>, opts: { html?: boolean } = {}): Promise<string> {
  if (!source.includes('{{')) return source;
  const input = expressionInput(data);
  let out = '';
  for (const part of parseTemplate(source)) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    const value = interpolate(await compileExpression(part.source).evaluateInput(input, input as ExpressionContext));
    out += opts.html ? escapeHtml(value) : value;
  }
  return out;
}

/**
 * Renders subject, html and text with sample (or real) data.
 * @example await previewTemplate({ name: 'order_confirmation', subject: 'Order {{order.id}}', html: '<p>Hi {{customer.name}}</p>', text: null }, { order: { id: 7 }, customer: { name: 'Ada' } })
 */
export async function previewTemplate(template: EmailTemplate, data: Record<string, unknown>): Promise<RenderedEmail> {
  const part = async (label: string, source: string | null, html: boolean) => {
    if (source === null) return null;
    try {
      return await renderEmailPart(source, data, { html });
    } catch (err) {
      throw new Error(`Email template "${template.name}", ${label}: ${(err as Error).message}`, { cause: err });
    }
  };
  const subject = (await part('subject', template.subject, false))!.replace(/[\r\n]+\s*/g, ' ').trim();
  return { subject, html: await part('html', template.html, true), text: await part('text', template.text, false) };
}
