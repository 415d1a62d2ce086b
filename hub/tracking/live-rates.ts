/**
 * Counts per name (a topic, a connector's outcome) in one-second buckets over the last
 * `windowSeconds`, by the time things happened (not when the projection read them), so a
 * catch-up after a restart does not show as a burst of live traffic.
 *
 * @example
 * ```ts
 * const rates = new LiveRates(10);
 * rates.add('crm.order.v1', Date.now());
 * rates.perSecond('crm.order.v1', 5); // 0.2
 * ```
 */
export class LiveRates {
  private readonly buckets = new Map<string, Float64Array>();
  private readonly seconds = new Map<string, Float64Array>();

  constructor(private readonly windowSeconds = 10) {}

  /** Counts one occurrence of `name` at `at` (epoch ms); ignored when outside the window. */
  add(name: string, at: number, now: number = Date.now()): void {
    const second = Math.floor(at / 1000);
    const current = Math.floor(now / 1000);
    if (second > current || second <= current - this.windowSeconds) return;
    let counts = this.buckets.get(name);
    let stamps = this.seconds.get(name);
    if (!counts || !stamps) {
      counts = new Float64Array(this.windowSeconds);
      stamps = new Float64Array(this.windowSeconds);
      this.buckets.set(name, counts);
      this.seconds.set(name, stamps);
    }
    const slot = second % this.windowSeconds;
    if (stamps[slot] !== second) {
      stamps[slot] = second;
      counts[slot] = 0;
    }
    counts[slot]++;
  }

  /** Occurrences of `name` in the last `seconds` (the current second included), per second. */
  perSecond(name: string, seconds = 5, now: number = Date.now()): number {
    const counts = this.buckets.get(name);
    const stamps = this.seconds.get(name);
    if (!counts || !stamps) return 0;
    const current = Math.floor(now / 1000);
    const span = Math.min(seconds, this.windowSeconds);
    let total = 0;
    for (let i = 0; i < this.windowSeconds; i++) if (stamps[i] > current - span && stamps[i] <= current) total += counts[i];
    return Math.round((total / span) * 100) / 100;
  }

  /** Occurrences of `name` in the last `seconds`. */
  count(name: string, seconds = 5, now: number = Date.now()): number {
    return Math.round(this.perSecond(name, seconds, now) * Math.min(seconds, this.windowSeconds));
  }
}
