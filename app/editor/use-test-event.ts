// "Listen for a test event": open a capture for the draft's webhook, then look for a new
// sample every second until one arrives, the capture closes (2 minutes) or the user
// cancels. The samples live on the server, so any process may receive the request.
import { useCallback, useEffect, useRef, useState } from 'react';
import { type Capture, listenForTestEvent, type TestEvent, testEvents } from './api';

/** How often the panel asks whether the test event has arrived. */
const LOOK_EVERY_MS = 1_000;

export interface TestEventState {
  capture: Capture | null;
  /** Captured so far, newest first. */
  events: TestEvent[];
  problem: string | null;
}

export function useTestEvent(key: string, onArrived: (event: TestEvent) => void) {
  const [state, setState] = useState<TestEventState>({ capture: null, events: [], problem: null });
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  const arrived = useRef(onArrived);
  arrived.current = onArrived;

  const stop = useCallback(() => {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
    setState((s) => ({ ...s, capture: null }));
  }, []);
  useEffect(() => () => stop(), [stop]);

  // Earlier samples of this workflow, to choose from before listening.
  useEffect(() => {
    testEvents(key).then(
      (events) => setState((s) => ({ ...s, events })),
      () => undefined,
    );
  }, [key]);

  const listen = useCallback(
    async (yaml: string) => {
      stop();
      try {
        const before = new Set((await testEvents(key)).map((e) => e.id));
        const capture = await listenForTestEvent(key, yaml);
        setState((s) => ({ ...s, capture, problem: null }));
        const closes = new Date(capture.listening_until).getTime();
        timer.current = setInterval(() => {
          if (Date.now() > closes) {
            stop();
            setState((s) => ({ ...s, problem: 'No test event arrived in 2 minutes; listen again to wait longer.' }));
            return;
          }
          void testEvents(key).then((events) => {
            const fresh = events.find((e) => !before.has(e.id));
            if (!fresh || !timer.current) return;
            stop();
            setState((s) => ({ ...s, events }));
            arrived.current(fresh);
          });
        }, LOOK_EVERY_MS);
      } catch (err) {
        setState((s) => ({ ...s, problem: (err as Error).message }));
      }
    },
    [key, stop],
  );

  return { ...state, listen, cancel: stop };
}
