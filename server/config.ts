// Settings come from the environment (and --port for start). Read once at start-up.
import { khaosflowHome } from './paths.js';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  home: string;
  /** Runs executed at once by this process's worker. */
  concurrency: number;
  intakeQueueLimit: number;
  publicUrl: string | undefined;
  /** Retry backoffs up to this long wait in-process; longer ones park the run. */
  inlineBackoffMs: number;
  /** The environment this config was read from (connections, variables and the key come from it too). */
  env: NodeJS.ProcessEnv;
}

function intFrom(value: string | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer of at least ${min}, got "${value}".`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: { port?: string | undefined } = {}): Config {
  return {
    // 0 asks the OS for a free port (tests); the start-up line says which one.
    port: intFrom(overrides.port ?? env.PORT, overrides.port ? '--port' : 'PORT', 3001, 0),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    home: khaosflowHome(env),
    // Runs spend most of their time waiting for Postgres round trips (claims, batched
    // finishes), not on the CPU: at 10 a 2-core machine let the queue fall behind its
    // webhook intake (bench S1: 609 runs queued, 3 s to drain); at 32 it keeps pace; 24 stays below the
    // pool of 30 connections, under which Graphile warns (and prints it to the CLI's stderr).
    concurrency: intFrom(env.KHAOSFLOW_CONCURRENCY, 'KHAOSFLOW_CONCURRENCY', 24),
    // Ready runs in the queue above which webhook intake waits for runs to finish
    // (server/queue/intake-pace.ts); 0 accepts as fast as requests come.
    intakeQueueLimit: intFrom(env.KHAOSFLOW_INTAKE_QUEUE_LIMIT, 'KHAOSFLOW_INTAKE_QUEUE_LIMIT', 1_000, 0),
    publicUrl: env.KHAOSFLOW_PUBLIC_URL || undefined,
    inlineBackoffMs: intFrom(env.KHAOSFLOW_INLINE_BACKOFF_MS, 'KHAOSFLOW_INLINE_BACKOFF_MS', 5_000, 0),
    env,
  };
}
