// One measured number, with the target where it sets one.
export interface Metric {
  scenario: string;
  name: string;
  value: number;
  unit: string;
  target?: { at: 'least' | 'most'; value: number };
}

export function passes(m: Metric): boolean | null {
  if (!m.target || Number.isNaN(m.value)) return m.target ? false : null;
  return m.target.at === 'least' ? m.value >= m.target.value : m.value <= m.target.value;
}

/** The median of each metric over repeated runs of a scenario (same names, same order). */
export function medians(repeats: Metric[][]): Metric[] {
  return repeats[0]!.map((first, i) => {
    const values = repeats.map((r) => r[i]!.value).sort((a, b) => a - b);
    return { ...first, value: values[Math.floor(values.length / 2)]! };
  });
}

export function describeTarget(m: Metric): string {
  if (!m.target) return '';
  return `${m.target.at === 'least' ? '>=' : '<='} ${m.target.value.toLocaleString('en-US')}`;
}
