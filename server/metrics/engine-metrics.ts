// What this process's engine did, as Prometheus counters and histograms. Counted
// in-process (no extra write per run on the hot path); a cluster is observed by
// scraping each process, and cluster-wide state comes from cluster-gauges.ts.
import { Counter, Histogram, type Registry } from 'prom-client';

export interface EngineMetrics {
  /** A run this process ended (succeeded or failed), with its wall time since it started. */
  runFinished(status: 'succeeded' | 'failed', seconds: number): void;
  /** One attempt of an action step, by action type (a bounded set, so a safe label). */
  stepAttempt(actionType: string, status: 'succeeded' | 'failed', seconds: number): void;
}

const RUN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600];
const STEP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export function engineMetrics(registry: Registry): EngineMetrics {
  const runs = new Counter({
    name: 'khaosflow_runs_finished_total',
    help: 'Runs this process ended, by final status.',
    labelNames: ['status'],
    registers: [registry],
  });
  const runSeconds = new Histogram({
    name: 'khaosflow_run_duration_seconds',
    help: 'Seconds from a run starting to its end, for runs this process ended.',
    labelNames: ['status'],
    buckets: RUN_BUCKETS,
    registers: [registry],
  });
  const steps = new Counter({
    name: 'khaosflow_step_attempts_total',
    help: 'Action step attempts this process made, by action type and outcome.',
    labelNames: ['action', 'status'],
    registers: [registry],
  });
  const stepSeconds = new Histogram({
    name: 'khaosflow_step_duration_seconds',
    help: 'Seconds one action step attempt took, by action type.',
    labelNames: ['action'],
    buckets: STEP_BUCKETS,
    registers: [registry],
  });
  // Zero series exist from the start, so rate() works before the first failure.
  for (const status of ['succeeded', 'failed']) runs.inc({ status }, 0);
  return {
    runFinished(status, seconds) {
      runs.inc({ status });
      runSeconds.observe({ status }, Math.max(0, seconds));
    },
    stepAttempt(action, status, seconds) {
      steps.inc({ action, status });
      stepSeconds.observe({ action }, Math.max(0, seconds));
    },
  };
}
