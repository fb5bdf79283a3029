// How the side panel edits one param, read from the param's JSON Schema (as derived from
// the action's or trigger's zod definition): a select for enums, connections, email
// templates and secrets that exist; a checkbox-like select for booleans; a text field
// (numbers kept as numbers); a YAML box for objects, lists and anything richer.
import { parse } from 'yaml';
import type { JsonSchema } from '../../server/workflows/builder-catalog.js';

export type FieldKind =
  | { kind: 'select'; options: string[] }
  | { kind: 'boolean' }
  | { kind: 'text'; numeric: boolean; multiline: boolean }
  | { kind: 'yaml' }
  | { kind: 'variants'; variants: Variant[] };

/**
 * One form of a param written as one of several objects told apart by `type` (a webhook's
 * `authentication`: none, api_key, hmac, github, stripe, ...): its type, the schema's
 * description of that type (for senders: where to find the secret) and its schema.
 */
export interface Variant {
  type: string;
  hint?: string;
  schema: JsonSchema;
}

export interface NameLists {
  connections: string[];
  emailTemplates: string[];
  secrets: string[];
}

const longText = new Set(['code', 'query', 'html', 'text', 'message', 'script', 'filter', 'sql']);

function choices(schema: JsonSchema): string[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum.map(String);
  if (schema.const !== undefined) return [String(schema.const)];
  const options = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (!options) return undefined;
  const all = options.map(choices);
  return all.every((c) => c !== undefined) ? (all.flat() as string[]) : undefined;
}

function types(schema: JsonSchema): string[] {
  const options = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (options) return options.flatMap(types);
  if (Array.isArray(schema.type)) return schema.type as string[];
  return typeof schema.type === 'string' ? [schema.type] : ['any'];
}

/** The forms of a param that is one of several objects each with a constant `type`, or undefined. */
export function variantsOf(schema: JsonSchema): Variant[] | undefined {
  const options = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (!options || options.length === 0) return undefined;
  const variants: Variant[] = [];
  for (const option of options) {
    const typeSchema = (option.properties as Record<string, JsonSchema> | undefined)?.type;
    if (option.type !== 'object' || typeof typeSchema?.const !== 'string') return undefined;
    const hint = typeof typeSchema.description === 'string' ? typeSchema.description : undefined;
    variants.push({ type: typeSchema.const, ...(hint ? { hint } : {}), schema: option });
  }
  return variants;
}

/** The input for param `key` of an action or trigger of type `type`. */
export function fieldKind(key: string, schema: JsonSchema, type: string, names: NameLists): FieldKind {
  if (key === 'connection' || key === 'smtp' || key === 'imap') return { kind: 'select', options: names.connections };
  if (key === 'template' && type.includes('email')) return { kind: 'select', options: names.emailTemplates };
  if (key === 'secret') return { kind: 'select', options: names.secrets };
  const fixed = choices(schema);
  if (fixed) return { kind: 'select', options: fixed };
  const variants = variantsOf(schema);
  if (variants) return { kind: 'variants', variants };
  const kinds = types(schema);
  if (kinds.length === 1 && kinds[0] === 'boolean') return { kind: 'boolean' };
  if (kinds.some((k) => k === 'string') && kinds.every((k) => ['string', 'number', 'integer', 'boolean'].includes(k))) {
    return { kind: 'text', numeric: kinds.some((k) => k === 'number' || k === 'integer'), multiline: longText.has(key) };
  }
  if (kinds.every((k) => k === 'number' || k === 'integer')) return { kind: 'text', numeric: true, multiline: false };
  return { kind: 'yaml' };
}

/** What a text field holds, as the value to write: empty removes the key; digits in a numeric field are a number. */
export function textValue(text: string, numeric: boolean): unknown {
  if (text === '') return undefined;
  if (numeric && /^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  return text;
}

/** How a value shows in a YAML box: a string as it is, anything else as YAML. */
export function yamlBoxText(value: unknown, stringify: (value: unknown) => string): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return stringify(value).trimEnd();
}

/**
 * A YAML box's text as a value: YAML when it reads as a map, a list or spans lines
 * (`title: Onboard {{trigger.data.name}}`), else the text itself (`{{trigger.data}}`,
 * which YAML would read as a flow map). Throws the YAML error for a broken map or list.
 */
export function yamlBoxValue(text: string): unknown {
  if (text.trim() === '') return undefined;
  const structured = text.includes('\n') || /^\s*(\[|\{(?!\{)|- |[\w"'-]+\s*:(\s|$))/.test(text);
  return structured ? parse(text) : text;
}
