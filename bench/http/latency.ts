// Sequential keep-alive callers measuring each answer with hrtime (autocannon's
// histogram rounds to whole milliseconds, too coarse for a 5 ms target).
import http from 'node:http';

function post(agent: http.Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface LatencyResult {
  count: number;
  p50: number;
  p99: number;
  failures: number;
}

/** `callers` loops, each sending its next request when the previous answer arrived, for `seconds`. */
export async function measureLatency(opts: {
  url: string;
  callers: number;
  seconds: number;
  body: (i: number) => string;
}): Promise<LatencyResult> {
  const url = new URL(opts.url);
  if (url.hostname !== '127.0.0.1') throw new Error(`Benchmarks only drive the loopback server, not ${opts.url}.`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.callers });
  const samples: number[] = [];
  let failures = 0;
  let n = 0;
  const until = Date.now() + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: opts.callers }, async () => {
      while (Date.now() < until) {
        const t0 = process.hrtime.bigint();
        const status = await post(agent, url, opts.body(n++));
        samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (status !== 200) failures++;
      }
    }),
  );
  agent.destroy();
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(samples.length * q))] ?? Number.NaN;
  return { count: samples.length, p50: at(0.5), p99: at(0.99), failures };
}
