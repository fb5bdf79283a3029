// `npm run bench`: measures what the design promises (engine throughput, commits per
// run, expression speed). Numbers are printed, never asserted: tests do not time things.
import { pathToFileURL } from 'node:url';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

const suites: Array<{ name: string; load: () => Promise<() => Promise<BenchResult[]>> }> = [
  { name: 'engine', load: async () => (await import('./engine.js')).benchEngine },
  { name: 'expression', load: async () => (await import('./expression.js')).benchExpression },
  { name: 'files', load: async () => (await import('./files.js')).benchFiles },
];

async function main(): Promise<void> {
  const only = process.argv[2];
  for (const suite of suites) {
    if (only && suite.name !== only) continue;
    const run = await suite.load();
    for (const r of await run())
      console.log(
        `${suite.name.padEnd(12)} ${r.name.padEnd(48)} ${r.value.toLocaleString('en-US', { maximumFractionDigits: 2 }).padStart(14)} ${r.unit}`,
      );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await main();
