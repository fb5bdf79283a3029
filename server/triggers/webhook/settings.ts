// Operator limits for webhooks, from the environment:
//   KHAOSFLOW_WEBHOOK_MAX_BODY  largest body accepted, in bytes (default 1 MiB; larger: 413)
//   KHAOSFLOW_WEBHOOK_MAX_WAIT  longest a caller may wait for a run's result, in seconds
//                               (default 30; `Prefer: wait=N` asks for up to this)
import { DEFAULT_BODY_LIMIT } from '../../core/http-body.js';

export interface WebhookSettings {
  maxBodyBytes: number;
  maxWaitMs: number;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, got "${value}".`);
  return n;
}

export function webhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  return {
    maxBodyBytes: positiveInt(env, 'KHAOSFLOW_WEBHOOK_MAX_BODY', DEFAULT_BODY_LIMIT),
    maxWaitMs: positiveInt(env, 'KHAOSFLOW_WEBHOOK_MAX_WAIT', 30) * 1000,
  };
}
