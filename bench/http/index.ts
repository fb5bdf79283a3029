// The HTTP scenarios (S1-S4): one migrated bench database, one `khaosflow start`
// child process, each scenario repeated BENCH_REPEAT times (default 3) and reported as
// the median of each number.
import { benchDatabase } from '../database.js';
import { type Metric, medians } from './metric.js';
import { s1, s2, s3, s4, type ScenarioContext } from './scenarios.js';
import { startServer } from './server-process.js';

export const httpScenarios = ['s1', 's2', 's3', 's4'] as const;
export type HttpScenario = (typeof httpScenarios)[number];

export async function benchHttp(selected: readonly HttpScenario[]): Promise<{ metrics: Metric[]; describe: string }> {
  const repeat = Number(process.env.BENCH_REPEAT ?? 3);
  const seconds = Number(process.env.BENCH_SECONDS ?? 20);
  const db = await benchDatabase();
  const server = await startServer(db.url);
  const ctx: ScenarioContext = { baseUrl: server.baseUrl, pool: db.handle.pool, seconds, serverCpuSeconds: server.cpuSeconds };
  const history: { filled?: boolean } = {};
  const metrics: Metric[] = [];
  try {
    // Warm-up: JIT, prepared statements, the definition cache, Postgres' buffers.
    await s1({ ...ctx, seconds: 3 });
    for (const name of selected) {
      const repeats: Metric[][] = [];
      for (let i = 0; i < repeat; i++) {
        repeats.push(await (name === 's1' ? s1(ctx) : name === 's2' ? s2(ctx) : name === 's3' ? s3(ctx) : s4(ctx, history)));
      }
      metrics.push(...medians(repeats));
    }
    const rate = (scenario: string) => metrics.find((m) => m.scenario === scenario && m.unit === 'runs/s')?.value;
    const [empty, full] = [rate('S1'), rate('S4')];
    if (empty !== undefined && full !== undefined) {
      metrics.push({
        scenario: 'S4',
        name: 'throughput with 1,000,000 runs in history / empty',
        value: full / empty,
        unit: 'ratio',
        target: { at: 'least', value: 0.9 },
      });
    }
  } finally {
    await server.stop();
    await db.close();
  }
  return { metrics, describe: db.describe };
}
