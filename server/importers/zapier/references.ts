// Zapier field references - `{{<node id>__<field>}}`, nested `{{<id>__a__b}}` - turned into
// KhaosFlow expressions: the trigger's fields become `trigger.data.a.b`, a step's
// `steps.<slug>.result.<base>.a.b`, a loop's `item.a`. What cannot be translated is kept
// exactly as written (escaped, so it is text and not an expression) and reported.
import type { OutputTarget } from './types.js';

/** Turns one reference into an expression, or undefined (the caller records why). */
export type Resolve = (reference: string) => string | undefined;

const reserved = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

/** One name in a JSONata path: plain when it can be, else in backticks; list positions as [n]. */
function pathSegment(name: string): string {
  if (/^\d+$/.test(name)) return `[${name}]`;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !reserved.has(name)) return `.${name}`;
  return `.\`${name.replace(/`/g, '')}\``;
}

/** The expression reading `fields` of a converted node, or undefined when it has no data. */
export function outputPath(target: OutputTarget, fields: string[]): string | undefined {
  const head =
    target.kind === 'trigger'
      ? 'trigger.data'
      : target.kind === 'loop'
        ? 'item'
        : target.kind === 'step'
          ? `steps.${target.slug}.result`
          : undefined;
  if (head === undefined) return undefined;
  const segments = [...(target.kind === 'step' ? target.base : []), ...fields];
  return head + segments.map(pathSegment).join('');
}

/** `{{1__channel__name}}` -> { nodeId: '1', fields: ['channel', 'name'] }; undefined for other `{{ }}`. */
export function parseReference(inner: string): { nodeId: string; fields: string[] } | undefined {
  const match = /^\s*(\d+)__(.+?)\s*$/.exec(inner);
  if (!match) return undefined;
  const fields = match[2]!.split('__').filter(Boolean);
  return fields.length ? { nodeId: match[1]!, fields } : undefined;
}

/** Zapier's built-in values with a KhaosFlow counterpart (the run's time). */
export const zapMetaValues: Record<string, string> = {
  zap_meta_utc_iso: 'now',
  zap_meta_human_now: 'now',
  zap_meta_timestamp: '$floor($toMillis(now) / 1000)',
};

type Part = { text: string } | { reference: string; expression: string | undefined };

/** Splits Zapier text into literal text and `{{ }}` references (resolved or not). */
function split(text: string, resolve: Resolve): Part[] {
  const parts: Part[] = [];
  const pattern = /\{\{([^{}]*)\}\}/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ reference: match[0], expression: resolve(match[1]!) });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** A literal `{{` in KhaosFlow text is written `{{ "{{" }}` (see server/expression/README.md). */
function literal(text: string): string {
  return text.replaceAll('{{', '{{ "{{" }}');
}

/**
 * Zapier text as a KhaosFlow template string. A value that is exactly one reference
 * becomes exactly one `{{ }}`, so it keeps its type (a list stays a list).
 *
 * @example toTemplate('Hi {{1__user__name}}', resolve) // 'Hi {{trigger.data.user.name}}'
 */
export function toTemplate(text: string, resolve: Resolve): string {
  return split(text, resolve)
    .map((part) =>
      'text' in part ? literal(part.text) : part.expression === undefined ? literal(part.reference) : `{{${part.expression}}}`,
    )
    .join('');
}

/** Every string inside `value` (objects and lists walked) as a template. */
export function toTemplateValue(value: unknown, resolve: Resolve): unknown {
  if (typeof value === 'string') return toTemplate(value, resolve);
  if (Array.isArray(value)) return value.map((item) => toTemplateValue(item, resolve));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toTemplateValue(item, resolve)]));
  }
  return value;
}

/**
 * Zapier text as a JSONata expression (for filters and computed values): a literal
 * becomes a string literal, a lone reference its path, mixed text a `&` concatenation.
 * An untranslatable reference stays in as the string it was, e.g. "{{75467864__x}}".
 *
 * @example toExpression('{{1__amount}}', resolve) // 'trigger.data.amount'
 */
export function toExpression(text: string, resolve: Resolve): string {
  const parts = split(text, resolve).map((part) =>
    'text' in part ? JSON.stringify(part.text) : (part.expression ?? JSON.stringify(part.reference)),
  );
  if (parts.length === 0) return '""';
  return parts.length === 1 ? parts[0]! : `(${parts.join(' & ')})`;
}

/** True when the text holds at least one `{{ }}` reference. */
export function hasReference(text: string): boolean {
  return /\{\{[^{}]*\}\}/.test(text);
}

/** True when the whole text is exactly one `{{ }}` reference. */
export function isSingleReference(text: string): boolean {
  return /^\{\{[^{}]*\}\}$/.test(text.trim());
}
