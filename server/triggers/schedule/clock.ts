// Time as the scheduler sees it. Injected so tests drive ticks explicitly instead of
// waiting for wall-clock minutes.
export interface Clock {
  now(): Date;
  /** Calls `fn` at `when` (or at once if it is past); returns a function that cancels it. */
  at(when: Date, fn: () => void): () => void;
}

/** setTimeout caps delays at about 24.8 days; longer waits are re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => new Date(),
  at(when, fn) {
    let timer: NodeJS.Timeout;
    const arm = () => {
      const left = when.getTime() - Date.now();
      timer = setTimeout(left > MAX_TIMER_MS ? arm : fn, Math.min(Math.max(left, 0), MAX_TIMER_MS));
      timer.unref();
    };
    arm();
    return () => clearTimeout(timer);
  },
};
