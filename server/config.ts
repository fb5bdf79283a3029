// Settings come from the environment (and --port for start). Read once at start-up.
import { khaosflowHome } from './paths.js';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  home: string;
  /** Runs executed at once by this process's worker. */
  concurrency: number;
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
    concurrency: intFrom(env.KHAOSFLOW_CONCURRENCY, 'KHAOSFLOW_CONCURRENCY', 10),
    publicUrl: env.KHAOSFLOW_PUBLIC_URL || undefined,
    inlineBackoffMs: intFrom(env.KHAOSFLOW_INLINE_BACKOFF_MS, 'KHAOSFLOW_INLINE_BACKOFF_MS', 5_000, 0),
    env,
  };
}
