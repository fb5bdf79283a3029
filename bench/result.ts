// One number a bench suite measured (its own file so the suites and bench/index.ts do not import each other).
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The target, when it sets one: printed as pass / FAIL. */
  target?: { at: 'least' | 'most'; value: number };
}
