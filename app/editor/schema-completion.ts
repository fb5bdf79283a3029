// Completion from the workflow JSON Schema (`khaosflow schema`): the keys a mapping may
// have and the values a key may take, at the cursor found by yamlCursor. anyOf/oneOf
// branches are merged, narrowed by a `type:` already written beside the cursor.
import type { YamlCursor } from './yaml-context.js';

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  description?: string;
  definitions?: Record<string, Schema>;
  $defs?: Record<string, Schema>;
};

export interface SchemaOption {
  label: string;
  /** Text put in: `key: ` for keys. */
  apply: string;
  kind: 'property' | 'value';
  info?: string;
}

function resolve(root: Schema, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 32; hops++) {
    const name = current.$ref.replace(/^#\/(definitions|\$defs)\//, '');
    current = root.definitions?.[name] ?? root.$defs?.[name] ?? {};
  }
  return current;
}

/** Every concrete schema a value may match (refs resolved, unions and intersections spread). */
function branches(root: Schema, schema: Schema, depth = 0): Schema[] {
  const s = resolve(root, schema);
  if (depth > 16) return [s];
  const parts = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])];
  if (parts.length === 0) return [s];
  const own: Schema = { ...s, anyOf: undefined, oneOf: undefined, allOf: undefined };
  return [own, ...parts.flatMap((part) => branches(root, part, depth + 1))];
}

function constValues(root: Schema, schema: Schema): unknown[] {
  return branches(root, schema).flatMap((b) => (b.const !== undefined ? [b.const] : (b.enum ?? [])));
}

/** Object branches that fit the `type:` written beside the cursor, if any. */
function objectBranches(root: Schema, schema: Schema, siblings: Record<string, string>): Schema[] {
  const objects = branches(root, schema).filter((b) => b.properties);
  const written = siblings.type?.replace(/^["']|["']$/g, '');
  if (!written) return objects;
  const typed = objects.filter((b) => {
    const allowed = b.properties?.type ? constValues(root, b.properties.type) : [];
    return allowed.length === 0 || allowed.includes(written);
  });
  return typed.length > 0 ? typed : objects;
}

function descend(root: Schema, schema: Schema, segment: string, siblings: Record<string, string>): Schema[] {
  if (segment === '-') return branches(root, schema).flatMap((b) => (b.items ? [b.items] : []));
  return objectBranches(root, schema, siblings).flatMap((b) => {
    const child = b.properties?.[segment];
    if (child) return [child];
    return typeof b.additionalProperties === 'object' ? [b.additionalProperties] : [];
  });
}

function describe(root: Schema, schema: Schema): string | undefined {
  return branches(root, schema).find((b) => b.description)?.description;
}

/**
 * Keys (or values) the schema allows at the cursor, filtered by the word typed so far.
 * The parents' `type:` values are not known here, so deeper levels offer every branch.
 * @example schemaOptions(schema, yamlCursor(text, pos)!) // [{ label: 'steps', apply: 'steps: ', ... }]
 */
export function schemaOptions(schema: Record<string, unknown>, cursor: YamlCursor): SchemaOption[] {
  const root = schema as Schema;
  let at: Schema[] = [root];
  for (const segment of cursor.path) at = at.flatMap((s) => descend(root, s, segment, {}));
  const seen = new Set<string>();
  const options: SchemaOption[] = [];
  const add = (option: SchemaOption) => {
    if (seen.has(option.label) || !option.label.startsWith(cursor.word)) return;
    seen.add(option.label);
    options.push(option);
  };
  if (cursor.key) {
    const key = cursor.key;
    for (const s of at.flatMap((parent) => descend(root, parent, key, cursor.siblings)))
      for (const value of constValues(root, s))
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
          add({ label: String(value), apply: String(value), kind: 'value' });
    return options;
  }
  for (const parent of at)
    for (const b of objectBranches(root, parent, cursor.siblings))
      for (const [name, property] of Object.entries(b.properties ?? {}))
        if (!(name in cursor.siblings)) {
          const info = describe(root, property);
          add({ label: name, apply: `${name}: `, kind: 'property', ...(info ? { info } : {}) });
        }
  return options;
}
