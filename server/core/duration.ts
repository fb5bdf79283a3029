// Durations in workflow files: `30s`, `5m`, `300s`, `1h30m`, `250ms`, or a number of
// milliseconds. Normalized definitions hold milliseconds only.

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/** The pattern editors see in the JSON Schema. */
export const durationPattern = '^\\s*(\\d+(\\.\\d+)?(ms|s|m|h|d)\\s*)+$';

/**
 * Milliseconds in `text`, or undefined when it is not a duration.
 *
 * @example parseDuration('1h30m') // 5_400_000
 */
export function parseDuration(text: string): number | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact === '') return undefined;
  let total = 0;
  part.lastIndex = 0;
  while (part.lastIndex < compact.length) {
    const start = part.lastIndex;
    const match = part.exec(compact);
    if (!match || match.index !== start) return undefined;
    total += Number(match[1]) * units[match[2]!]!;
  }
  return Math.round(total);
}
