// Small display helpers shared by console pages.

/** `1.2 s`, `340 ms`, `3 min 5 s` between two ISO times; '-' when not finished. */
export function duration(from: string | null, to: string | null): string {
  if (!from || !to) return '-';
  return milliseconds(Date.parse(to) - Date.parse(from));
}

/** A time span as people read it: `12 ms`, `3.4 s`, `2 min 5 s`. */
export function milliseconds(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '-';
}

export function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'null';
}
