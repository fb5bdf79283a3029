// Runs an async task one at a time, coalescing requests: asking while it runs makes
// it run exactly once more afterwards. Trigger listeners reload their state this way,
// so a burst of workflow notifications costs two reloads, not one per notification,
// and no change that arrives during a reload is missed.
import type { Logger } from '../logger.js';

export interface SerialTask {
  /** Asks for a run; resolves when a run that started after this call has finished. */
  request(): Promise<void>;
  /** Waits for the current run, then refuses further requests. */
  stop(): Promise<void>;
}

export function serialTask(name: string, task: () => Promise<void>, logger: Logger): SerialTask {
  let running: Promise<void> | null = null;
  let again: Promise<void> | null = null;
  let stopped = false;

  const runOnce = async () => {
    try {
      await task();
    } catch (err) {
      logger.error({ err, task: name }, `${name} failed; it runs again on the next change or sweep`);
    }
  };

  const request = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (!running) {
      running = runOnce().finally(() => {
        running = null;
      });
      return running;
    }
    again ??= running.then(() => {
      again = null;
      return request();
    });
    return again;
  };

  return {
    request,
    async stop() {
      stopped = true;
      await again;
      await running;
    },
  };
}
