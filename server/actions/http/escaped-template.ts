// Rendering `{{ }}` inside markup the action writes itself (a SOAP body, an inline
// email html part): each value is escaped for the markup, so data from a trigger
// cannot add elements, attributes or scripts. The engine's own template resolution
// interpolates values as they are, which is right for JSON and wrong for markup.
import { NonRetryableError } from '../../core/errors.js';
import { compileExpression, ExpressionError, interpolate, parseTemplate, type ExpressionContext } from '../../expression/index.js';

const markupEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for XML and HTML alike (element content and quoted attributes). */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => markupEntities[c]!);
}

/**
 * @example await renderMarkup('<Name>{{trigger.data.name}}</Name>', ctx.expressionContext, 'Call Service') // '<Name>Ada &amp; Co</Name>'
 * @throws NonRetryableError for an expression that does not compile or evaluate
 */
export async function renderMarkup(source: string, context: Record<string, unknown>, stepName: string): Promise<string> {
  if (!source.includes('{{')) return source;
  try {
    let out = '';
    for (const part of parseTemplate(source)) {
      out +=
        part.kind === 'text'
          ? part.text
          : escapeMarkup(interpolate(await compileExpression(part.source).evaluate(context as ExpressionContext, stepName)));
    }
    return out;
  } catch (err) {
    if (err instanceof ExpressionError) throw new NonRetryableError(err.message);
    throw err;
  }
}
