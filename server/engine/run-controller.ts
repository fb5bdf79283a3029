// The abort controller of one execution of a run: it fires when the process shuts
// down (the run is released, not failed) or when the run's own timeout passes.
import { setMaxListeners } from 'node:events';
import type { ErrorRecord } from '../core/errors.js';
import { RunInterrupt } from './interrupts.js';

export function timeoutError(ms: number): ErrorRecord {
  return { name: 'RunTimeout', message: `The run did not finish within its timeout of ${ms / 1000} s.`, retryable: false };
}

/** Links the worker's shutdown signal and the run's timeout to one controller. */
export function runController(
  startedAt: Date,
  timeoutMs: number | null,
  shutdown: AbortSignal,
): { controller: AbortController; dispose(): void } {
  const controller = new AbortController();
  // The worker pool's shutdown signal is shared by every run in flight.
  setMaxListeners(0, shutdown);
  const onShutdown = () => controller.abort(new RunInterrupt('shutdown', 'The worker is shutting down.'));
  if (shutdown.aborted) onShutdown();
  else shutdown.addEventListener('abort', onShutdown, { once: true });
  let timer: NodeJS.Timeout | null = null;
  if (timeoutMs) {
    const left = startedAt.getTime() + timeoutMs - Date.now();
    const expire = () => controller.abort(new RunInterrupt('run_timeout', timeoutError(timeoutMs).message));
    if (left <= 0) expire();
    else timer = setTimeout(expire, left);
  }
  return {
    controller,
    dispose() {
      shutdown.removeEventListener('abort', onShutdown);
      if (timer) clearTimeout(timer);
    },
  };
}
