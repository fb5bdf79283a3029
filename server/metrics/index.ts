// One Prometheus registry per KhaosFlow process (per Services, so tests can run
// several nodes in one process): engine counters, cluster gauges and Node's own
// process metrics (memory, event-loop delay, GC).
import type pg from 'pg';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { clusterGauges } from './cluster-gauges.js';
import { engineMetrics, type EngineMetrics } from './engine-metrics.js';

export type { EngineMetrics } from './engine-metrics.js';

export interface Metrics extends EngineMetrics {
  registry: Registry;
}

export function createMetrics(pool: pg.Pool): Metrics {
  // No per-process label: Prometheus adds `instance` from the scrape target.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  clusterGauges(registry, pool);
  return { registry, ...engineMetrics(registry) };
}
