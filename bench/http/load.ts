// autocannon, bounded in time, loopback only: every request goes to the server this
// bench started on 127.0.0.1.
import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  /** Answers by status code. */
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  latencyP50: number;
  latencyP99: number;
  seconds: number;
}

export async function load(opts: { url: string; connections: number; seconds: number; body: string }): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(opts.url)) throw new Error(`Benchmarks only drive the loopback server, not ${opts.url}.`);
  const result = await autocannon({
    url: opts.url,
    method: 'POST',
    connections: opts.connections,
    duration: opts.seconds,
    headers: { 'content-type': 'application/json' },
    body: opts.body,
    timeout: 30,
  });
  const statuses: Record<string, number> = {};
  for (const [code, n] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = (n as { count: number }).count;
  return {
    requests: result.requests.total,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    seconds: result.duration,
  };
}
