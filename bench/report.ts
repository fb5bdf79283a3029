// Writes a bench run to bench/results/<date>.json and .md: the machine, the settings
// and every number with its target and pass/fail, so the README's table is a copy of
// a real run's file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../server/paths.js';
import { describeTarget, type Metric, passes } from './http/metric.js';

export function machine(database: string): Record<string, string> {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return {
    commit,
    cpu: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    database,
    concurrency: process.env.KHAOSFLOW_CONCURRENCY ?? 'default',
    repeat: process.env.BENCH_REPEAT ?? '3',
    seconds: process.env.BENCH_SECONDS ?? '20',
  };
}

export function markdown(metrics: Metric[], about: Record<string, string>): string {
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${about.cpu}, ${about.memory}, Node ${about.node}, ${about.database}, commit ${about.commit}; medians of ${about.repeat} runs.`,
    '',
    '| scenario | measure | value | target | |',
    '|---|---|---:|---|---|',
  ];
  for (const m of metrics) {
    const ok = passes(m);
    const value = m.value.toLocaleString('en-US', { maximumFractionDigits: m.value < 10 ? 2 : 0 });
    lines.push(`| ${m.scenario} | ${m.name} | ${value} ${m.unit} | ${describeTarget(m)} | ${ok === null ? '' : ok ? 'pass' : 'FAIL'} |`);
  }
  return `${lines.join('\n')}\n`;
}

export function writeResults(metrics: Metric[], about: Record<string, string>): string {
  const dir = path.join(projectRoot, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
  const file = path.join(dir, `${stamp}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ machine: about, metrics: metrics.map((m) => ({ ...m, pass: passes(m) })) }, null, 2)}\n`);
  fs.writeFileSync(file.replace(/\.json$/, '.md'), markdown(metrics, about));
  return file;
}
