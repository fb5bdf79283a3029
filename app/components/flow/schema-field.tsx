// One param of the selected node, as the input its JSON Schema calls for (field-kind.ts),
// with the validator's message for it underneath and the YAML editor's `{{ }}` completion
// on text fields and YAML boxes. A param that is one of several typed objects (a
// webhook's authentication) gets a type select, the type's hint, and that type's fields.
import { useEffect, useId, useState } from 'react';
import { stringify } from 'yaml';
import type { JsonSchema } from '../../../server/workflows/builder-catalog.js';
import type { FieldCompletionContext } from '../../flow/field-completion';
import { type FieldKind, fieldKind, type NameLists, textValue, type Variant, yamlBoxText, yamlBoxValue } from '../../flow/field-kind';
import { ExpressionInput } from './expression-input';

export interface SchemaFieldProps {
  name: string;
  schema: JsonSchema;
  field: FieldKind;
  value: unknown;
  required: boolean;
  problem?: string | undefined;
  /** Names `{{ }}` completion offers (trigger data, earlier steps' results, vars, secrets). */
  completion: FieldCompletionContext;
  /** The action reads this param itself: no `{{ }}` here. */
  raw: boolean;
  /** Connections, templates and secrets that exist, for the fields of a typed object. */
  names: NameLists;
  onCommit(value: unknown): void;
}

const INPUT = 'w-full rounded border border-slate-300 px-2 py-1 text-xs';

export function SchemaField({ name, schema, field, value, required, problem, completion, raw, names, onCommit }: SchemaFieldProps) {
  const id = useId();
  const description = typeof schema.description === 'string' ? schema.description : undefined;
  const label = (
    <label htmlFor={id} className="flex items-center gap-1 text-xs font-medium text-slate-700">
      {name}
      {required ? <span className="text-red-600">*</span> : null}
      {field.kind === 'text' && !raw ? (
        <span className="rounded bg-slate-100 px-1 font-mono text-[10px] text-slate-500" title="{{ expressions }} allowed">
          {'{{ }}'}
        </span>
      ) : null}
    </label>
  );
  return (
    <div className="flex flex-col gap-1" data-field={name}>
      {label}
      {field.kind === 'variants' ? (
        <VariantsInput id={id} variants={field.variants} value={value} completion={completion} names={names} onCommit={onCommit} />
      ) : (
        <FieldInput id={id} field={field} value={value} completion={raw ? null : completion} onCommit={onCommit} />
      )}
      {problem ? (
        <p role="alert" className="text-xs text-red-700">
          {problem}
        </p>
      ) : description ? (
        <p className="text-[11px] text-slate-500">{description}</p>
      ) : null}
    </div>
  );
}

function FieldInput({
  id,
  field,
  value,
  completion,
  onCommit,
}: {
  id: string;
  field: Exclude<FieldKind, { kind: 'variants' }>;
  value: unknown;
  completion: FieldCompletionContext | null;
  onCommit(value: unknown): void;
}) {
  const shown = field.kind === 'yaml' ? yamlBoxText(value, stringify) : value === undefined || value === null ? '' : String(value);
  const [text, setText] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(shown), [shown]);

  if (field.kind === 'select' || field.kind === 'boolean') {
    const options = field.kind === 'boolean' ? ['true', 'false'] : field.options;
    const all = shown && !options.includes(shown) ? [shown, ...options] : options;
    return (
      <select
        id={id}
        value={shown}
        className={INPUT}
        onChange={(event) => {
          const next = event.target.value;
          onCommit(next === '' ? undefined : field.kind === 'boolean' ? next === 'true' : next);
        }}
      >
        <option value="">(not set)</option>
        {all.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  }
  if (field.kind === 'yaml') {
    return (
      <>
        <ExpressionInput
          id={id}
          value={text}
          multiline
          rows={Math.min(8, Math.max(2, text.split('\n').length))}
          className={`${INPUT} font-mono`}
          placeholder="A value in YAML, or a {{ expression }}"
          completion={completion}
          onChange={setText}
          onBlur={() => {
            try {
              const next = yamlBoxValue(text);
              setError(null);
              onCommit(next);
            } catch (err) {
              setError(`Not valid YAML: ${(err as Error).message.split('\n')[0]}`);
            }
          }}
        />
        {error ? <p className="text-xs text-red-700">{error}</p> : null}
      </>
    );
  }
  return (
    <ExpressionInput
      id={id}
      value={text}
      multiline={field.multiline}
      className={`${INPUT} ${text.includes('{{') || field.multiline ? 'font-mono' : ''}`}
      completion={completion}
      onChange={(next) => {
        setText(next);
        onCommit(textValue(next, field.numeric));
      }}
    />
  );
}

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A typed object: the type select, what the schema says about that type, and its own fields. */
function VariantsInput({
  id,
  variants,
  value,
  completion,
  names,
  onCommit,
}: {
  id: string;
  variants: Variant[];
  value: unknown;
  completion: FieldCompletionContext;
  names: NameLists;
  onCommit(value: unknown): void;
}) {
  const current = isRecord(value) ? value : {};
  const type = typeof current.type === 'string' ? current.type : '';
  const variant = variants.find((v) => v.type === type);
  const properties = Object.entries((variant?.schema.properties ?? {}) as Record<string, JsonSchema>).filter(([key]) => key !== 'type');
  const required = new Set((variant?.schema.required as string[] | undefined) ?? []);
  // Switching type keeps what the new type also has (the secret), drops what it does not.
  const switchTo = (next: string) => {
    if (next === '') return onCommit(undefined);
    const keep = (variants.find((v) => v.type === next)?.schema.properties ?? {}) as Record<string, unknown>;
    onCommit({ type: next, ...Object.fromEntries(Object.entries(current).filter(([key]) => key !== 'type' && key in keep)) });
  };
  return (
    <div className="flex flex-col gap-2 rounded border border-slate-200 p-2" data-variants>
      <select id={id} value={type} className={INPUT} onChange={(event) => switchTo(event.target.value)}>
        <option value="">(not set)</option>
        {variants.map((v) => (
          <option key={v.type} value={v.type}>
            {v.type}
          </option>
        ))}
      </select>
      {variant?.hint ? (
        <p className="rounded bg-sky-50 px-2 py-1 text-[11px] text-sky-900" data-hint>
          {variant.hint}
        </p>
      ) : null}
      {properties.map(([key, property]) => (
        <SchemaField
          key={`${type}:${key}`}
          name={key}
          schema={property}
          field={fieldKind(key, property, type, names)}
          value={current[key]}
          required={required.has(key)}
          completion={completion}
          raw
          names={names}
          onCommit={(next) => {
            const { [key]: _old, ...rest } = current;
            onCommit(next === undefined ? rest : { ...rest, [key]: next });
          }}
        />
      ))}
    </div>
  );
}
