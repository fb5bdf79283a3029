// periodicSingleton (server/singletons.ts), the shape of the run retention sweep and the
// search backlog mover: a round at start, then one per period, never two at once and
// none piled up behind a long one, and a stop that aborts the round in flight and waits
// for it. Fake timers stand in for the period.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { periodicSingleton } from '../../server/singletons.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('periodicSingleton', () => {
  it('runs a round at start and one per period, skips ticks while a round goes, and stop waits for it', async () => {
    vi.useFakeTimers();
    let rounds = 0;
    let active = 0;
    let mostAtOnce = 0;
    let heldSignal: AbortSignal | null = null;
    let release: () => void = () => undefined;
    const singleton = periodicSingleton('test-rounds', 5, async (signal) => {
      rounds++;
      active++;
      mostAtOnce = Math.max(mostAtOnce, active);
      if (rounds === 3) {
        // Held until the test lets go, like a sweep of a million rows.
        heldSignal = signal;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      active--;
    });
    const stop = await singleton.start();
    expect(rounds).toBe(1);
    await vi.advanceTimersByTimeAsync(5);
    expect(rounds).toBe(2);
    await vi.advanceTimersByTimeAsync(5);
    expect(rounds).toBe(3);
    // Ten ticks while the third round is held: none starts a round or queues one.
    await vi.advanceTimersByTimeAsync(50);
    expect(rounds).toBe(3);

    let stopped = false;
    const stopping = stop().then(() => {
      stopped = true;
    });
    expect((heldSignal as AbortSignal | null)?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release();
    await stopping;
    await vi.advanceTimersByTimeAsync(50);
    expect(rounds).toBe(3);
    expect(mostAtOnce).toBe(1);
  });
});
