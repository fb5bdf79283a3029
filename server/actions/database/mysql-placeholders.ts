// MySQL's `?` placeholders, found outside string literals, quoted identifiers and
// comments. A list value expands its placeholder to one `?` per element, so
// `WHERE id IN (?)` with [1, 2, 3] binds three values (an empty list becomes NULL,
// which matches nothing). Every value is still bound by the server, never pasted.
import { NonRetryableError } from '../../core/errors.js';

/** Offsets of the `?` placeholders in `sql`. */
export function placeholderOffsets(sql: string): number[] {
  const found: number[] = [];
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`') {
      for (i++; i < sql.length; i++) {
        if (sql[i] === '\\' && c !== '`') i++;
        else if (sql[i] === c) {
          if (sql[i + 1] === c) i++;
          else break;
        }
      }
    } else if (c === '#' || (c === '-' && sql[i + 1] === '-' && /[\s]/.test(sql[i + 2] ?? ' '))) {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 1;
    } else if (c === '?') found.push(i);
  }
  return found;
}

/** Values mysql2's binary protocol can bind: JSON text for objects, null for undefined. */
export function mysqlValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value === null || value instanceof Date || Buffer.isBuffer(value) || typeof value !== 'object') return value;
  return JSON.stringify(value);
}

/**
 * @example expandPlaceholders('select * from t where id in (?) and a = ?', [[1, 2], 'x'])
 * // { sql: 'select * from t where id in (?, ?) and a = ?', values: [1, 2, 'x'] }
 */
export function expandPlaceholders(sql: string, parameters: unknown[]): { sql: string; values: unknown[] } {
  const offsets = placeholderOffsets(sql);
  if (offsets.length !== parameters.length) {
    throw new NonRetryableError(
      `The query has ${offsets.length} ? placeholder${offsets.length === 1 ? '' : 's'} but ${parameters.length} parameter${parameters.length === 1 ? ' was' : 's were'} given; give one value under parameters: for each ? (a list fills an IN (?)).`,
    );
  }
  const values: unknown[] = [];
  let out = '';
  let last = 0;
  offsets.forEach((offset, i) => {
    const value = parameters[i];
    out += sql.slice(last, offset);
    if (Array.isArray(value)) {
      out += value.length ? value.map(() => '?').join(', ') : 'NULL';
      values.push(...value.map(mysqlValue));
    } else {
      out += '?';
      values.push(mysqlValue(value));
    }
    last = offset + 1;
  });
  return { sql: out + sql.slice(last), values };
}
