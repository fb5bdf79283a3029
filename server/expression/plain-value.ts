// jsonata returns arrays tagged as internal "sequences" (extra `sequence`, `keepSingleton`
// properties). Fed back into a later expression - a step result read by the next step in
// the same process - such an array is treated differently from the same JSON read from
// Postgres. Results are therefore returned as plain JSON values; untagged data is returned
// as is, without copying. Function values are not data and become undefined.

function isSequence(value: unknown[]): boolean {
  return Object.hasOwn(value, 'sequence');
}

/** Returns `value` with every jsonata sequence replaced by a plain array. */
export function toPlainValue(value: unknown): unknown {
  if (typeof value === 'function') return undefined;
  if (typeof value !== 'object' || value === null) return value;
  // A jsonata function value is not data (and holds its whole environment).
  if ('_jsonata_lambda' in value || '_jsonata_function' in value) return undefined;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined = isSequence(value) ? [...value] : undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const plain = toPlainValue(item);
      if (plain !== item) {
        copy ??= [...value];
        copy[i] = plain;
      }
    }
    return copy ?? value;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  // jsonata builds objects without a prototype; hand out ordinary objects.
  let copy: Record<string, unknown> | undefined = prototype === null ? { ...(value as Record<string, unknown>) } : undefined;
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    const plain = toPlainValue(item);
    if (plain !== item) {
      copy ??= { ...(value as Record<string, unknown>) };
      copy[key] = plain;
    }
  }
  return copy ?? value;
}
