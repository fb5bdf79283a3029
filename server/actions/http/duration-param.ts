// Durations as actions receive them: the workflow schema already turned `30s` into
// milliseconds, but a `{{ }}` template may still produce text such as "2m".
import { z } from 'zod';
import { parseDuration } from '../../core/duration.js';

/** Milliseconds, or duration text (`30s`, `1h30m`); output is milliseconds. */
export const durationParam = z.union([z.number().int().positive(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const ms = /^\d+$/.test(value.trim()) ? Number(value) : parseDuration(value);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration like 30s, 5m or 1h30m` });
    return z.NEVER;
  }
  return ms;
});
