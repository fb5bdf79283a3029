// Checking the parameters of a manual run against the trigger's declarations. Values
// from the console's form arrive as text, so "42" is a number and "true" a boolean
// where the declaration says so; anything else that does not fit is refused per field.
import type { ManualTrigger } from '../../workflow/types.js';

export type ManualParameter = ManualTrigger['parameters'][number];
export type ParameterValue = string | number | boolean;

export type ParameterCheck = { ok: true; values: Record<string, ParameterValue> } | { ok: false; errors: Record<string, string> };

function coerce(parameter: ManualParameter, value: unknown): { value: ParameterValue } | { error: string } {
  switch (parameter.type) {
    case 'string':
      return typeof value === 'string' ? { value } : { error: 'must be text' };
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? { value: n } : { error: 'must be a number' };
    }
    case 'boolean':
      if (typeof value === 'boolean') return { value };
      if (value === 'true' || value === 'false') return { value: value === 'true' };
      return { error: 'must be true or false' };
    case 'select': {
      const options = parameter.options ?? [];
      const match = options.find((o) => o === value || String(o) === String(value));
      return match === undefined ? { error: `must be one of ${options.join(', ')}` } : { value: match };
    }
  }
}

/**
 * @example checkParameters([{ name: 'environment', type: 'select', options: ['dev', 'prod'], required: true }], { environment: 'prod' })
 */
export function checkParameters(declared: readonly ManualParameter[], given: unknown): ParameterCheck {
  if (given !== undefined && given !== null && (typeof given !== 'object' || Array.isArray(given))) {
    return { ok: false, errors: { parameters: 'must be an object of name: value' } };
  }
  const input = (given ?? {}) as Record<string, unknown>;
  const errors: Record<string, string> = {};
  const values: Record<string, ParameterValue> = {};
  const names = new Set(declared.map((p) => p.name));
  for (const name of Object.keys(input)) {
    if (!names.has(name)) errors[name] = `is not a parameter of this workflow${names.size ? ` (it has ${[...names].join(', ')})` : ''}`;
  }
  for (const parameter of declared) {
    const raw = input[parameter.name];
    if (raw === undefined || raw === null || raw === '') {
      if (parameter.default !== undefined) values[parameter.name] = parameter.default;
      else if (parameter.required) errors[parameter.name] = 'is required';
      continue;
    }
    const checked = coerce(parameter, raw);
    if ('error' in checked) errors[parameter.name] = checked.error;
    else values[parameter.name] = checked.value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, values };
}
