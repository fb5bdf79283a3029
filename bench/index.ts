// `npm run bench [-- <name>...]`: measures what the design promises. Numbers are
// printed and written to bench/results/, never asserted: tests do not time things.
//   s1..s4      the HTTP scenarios of the performance issue (a real `khaosflow start`)
//   engine      in-process engine throughput and commits per run
//   expression  template evaluation rate
//   files       file transfer speed and memory
//   history     the run list and its filters at 1,000,000 runs (BENCH_HISTORY_RUNS)
import { pathToFileURL } from 'node:url';
import { benchDatabaseTarget } from './database.js';
import { benchHttp, type HttpScenario, httpScenarios } from './http/index.js';
import type { Metric } from './http/metric.js';
import { describeTarget, passes } from './http/metric.js';
import { machine, markdown, writeResults } from './report.js';
import type { BenchResult } from './result.js';

const suites: Array<{ name: string; load: () => Promise<() => Promise<BenchResult[]>> }> = [
  { name: 'engine', load: async () => (await import('./engine.js')).benchEngine },
  { name: 'expression', load: async () => (await import('./expression.js')).benchExpression },
  { name: 'files', load: async () => (await import('./files.js')).benchFiles },
  { name: 'history', load: async () => (await import('./history.js')).benchHistory },
];

function print(m: Metric): void {
  const ok = passes(m);
  const value = m.value.toLocaleString('en-US', { maximumFractionDigits: 2 }).padStart(14);
  console.log(
    `${m.scenario.padEnd(11)} ${m.name.padEnd(58)} ${value} ${m.unit.padEnd(9)} ${describeTarget(m).padEnd(10)} ${ok === null ? '' : ok ? 'pass' : 'FAIL'}`,
  );
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).map((a) => a.toLowerCase());
  const all = wanted.length === 0;
  const metrics: Metric[] = [];
  // The suites below open their own databases; the header names the same target.
  let database = benchDatabaseTarget();

  const scenarios = httpScenarios.filter((s) => all || wanted.includes(s)) as HttpScenario[];
  if (scenarios.length > 0) {
    const http = await benchHttp(scenarios);
    database = http.describe;
    for (const m of http.metrics) print(m);
    metrics.push(...http.metrics);
  }
  for (const suite of suites) {
    if (!all && !wanted.includes(suite.name)) continue;
    const run = await suite.load();
    for (const r of await run()) {
      const m: Metric = { scenario: suite.name, name: r.name, value: r.value, unit: r.unit, ...(r.target ? { target: r.target } : {}) };
      print(m);
      metrics.push(m);
    }
  }
  const about = machine(database);
  const file = writeResults(metrics, about);
  console.log(`\n${markdown(metrics, about)}\nwritten to ${file}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await main();
