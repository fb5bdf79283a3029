// Waiting and deadlines that respect the run's AbortSignal.
import { RunInterrupt } from './interrupts.js';

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export class StepTimeout extends Error {
  constructor(readonly ms: number) {
    super(`the step did not finish within its timeout of ${ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`}`);
    this.name = 'StepTimeout';
  }
}

/** Throws the run's interrupt when its signal has already aborted. */
export function throwIfStopped(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof RunInterrupt ? signal.reason : new Error('aborted');
}

/**
 * Runs `work` with a signal aborted by the run's signal or after `timeoutMs`; if the
 * work ignores the signal, the returned promise still settles at the deadline (the
 * work is abandoned, its result ignored).
 */
export async function withDeadline<T>(
  work: (signal: AbortSignal) => Promise<T>,
  parent: AbortSignal,
  timeoutMs: number | undefined,
): Promise<T> {
  throwIfStopped(parent);
  const controller = new AbortController();
  const onParent = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onParent, { once: true });
  const timer = timeoutMs ? setTimeout(() => controller.abort(new StepTimeout(timeoutMs)), timeoutMs) : null;
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  aborted.catch(() => undefined);
  try {
    return await Promise.race([work(controller.signal), aborted]);
  } finally {
    if (timer) clearTimeout(timer);
    parent.removeEventListener('abort', onParent);
  }
}
