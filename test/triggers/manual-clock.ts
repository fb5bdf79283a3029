// A clock the test moves by hand: timers fire when the test sets the time past them.
import type { Clock } from '../../server/triggers/schedule/clock.js';

export class ManualClock implements Clock {
  private timers: Array<{ at: number; fn: () => void }> = [];

  constructor(private time: Date) {}

  now(): Date {
    return new Date(this.time);
  }

  at(when: Date, fn: () => void): () => void {
    const timer = { at: when.getTime(), fn };
    this.timers.push(timer);
    if (timer.at <= this.time.getTime()) this.set(this.time);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves to `to` and fires every timer due by then, earliest first. */
  set(to: Date): void {
    this.time = to;
    const due = this.timers.filter((t) => t.at <= to.getTime()).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((t) => t.at > to.getTime());
    for (const timer of due) timer.fn();
  }
}
