// periodicSingleton (server/singletons.ts), the shape of the run retention sweep and the
// search backlog mover: a round at start, then one per period, never two at once, and a
// stop that aborts the round in flight and waits for it.
import { describe, expect, it } from 'vitest';
import { periodicSingleton } from '../../server/singletons.js';

describe('periodicSingleton', () => {
  it('runs a round at start and more each period, skips ticks while a round goes, and stop waits for it', async () => {
    let rounds = 0;
    let active = 0;
    let mostAtOnce = 0;
    let heldSignal: AbortSignal | null = null;
    let release: () => void = () => undefined;
    let thirdStarted: () => void = () => undefined;
    const third = new Promise<void>((resolve) => {
      thirdStarted = resolve;
    });
    const singleton = periodicSingleton('test-rounds', 5, async (signal) => {
      rounds++;
      active++;
      mostAtOnce = Math.max(mostAtOnce, active);
      if (rounds === 3) {
        heldSignal = signal;
        thirdStarted();
        // Held until the test lets go: the ticks meanwhile must not start other rounds.
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      active--;
    });
    const stop = await singleton.start();
    expect(rounds).toBe(1);
    await third;

    let stopped = false;
    const stopping = stop().then(() => {
      stopped = true;
    });
    expect((heldSignal as AbortSignal | null)?.aborted).toBe(true);
    await Promise.resolve();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(stopped).toBe(true);
    expect(rounds).toBe(3);
    expect(mostAtOnce).toBe(1);
  });
});
