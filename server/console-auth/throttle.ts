// Slows password guessing: after 5 failed logins for one email (or 20 from one
// address) within 15 minutes, further attempts are refused until the window passes.
// Kept in memory per process, which is enough to make online guessing impractical.
const WINDOW_MS = 15 * 60 * 1000;
const LIMITS = { email: 5, ip: 20 };
/** Above this many tracked keys, failures older than the window are swept out. */
const SWEEP_ABOVE = 10_000;
/** The same normalisation as the user lookup, so " Ann@X.com" counts against ann@x.com. */
const emailKey = (email: string) => `e:${email.trim().toLowerCase()}`;

export class LoginThrottle {
  private failures = new Map<string, number[]>();

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds to wait before trying again, or 0 when an attempt is allowed. */
  retryAfter(email: string, ip: string, now = Date.now()): number {
    const checks: Array<[string, number]> = [
      [emailKey(email), LIMITS.email],
      [`i:${ip}`, LIMITS.ip],
    ];
    let wait = 0;
    for (const [key, limit] of checks) {
      const list = this.recent(key, now);
      if (list.length >= limit) wait = Math.max(wait, Math.ceil((list[list.length - limit]! + WINDOW_MS - now) / 1000));
    }
    return wait;
  }

  failed(email: string, ip: string, now = Date.now()): void {
    // Keys are otherwise only pruned when looked up again, so guesses at many different
    // emails would grow the map for the life of the process.
    if (this.failures.size > SWEEP_ABOVE) for (const key of [...this.failures.keys()]) this.recent(key, now);
    for (const key of [emailKey(email), `i:${ip}`]) this.failures.set(key, [...this.recent(key, now), now]);
  }

  succeeded(email: string): void {
    this.failures.delete(emailKey(email));
  }
}
