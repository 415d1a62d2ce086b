/** A worker's counters at one moment, as its status in Redis reports them. */
export interface CounterSample {
  /** When the worker wrote them, epoch ms. */
  readonly at: number;
  readonly consumed: number;
  /** Events whose actions were all performed (the worker's `delivered`). */
  readonly applied: number;
}

/** Events per second over the interval between two samples. */
export interface Rates {
  readonly consumedPerSecond: number;
  readonly appliedPerSecond: number;
}

/** No movement known (one sample only). */
export const NO_RATES: Rates = Object.freeze({ consumedPerSecond: 0, appliedPerSecond: 0 });

/**
 * Rates between two successive samples of one worker's counters. A counter that went down (the
 * worker restarted under the same id) or samples not in time order give 0.
 *
 * @example
 * ```ts
 * ratesBetween({ at: 0, consumed: 10, applied: 8 }, { at: 5000, consumed: 60, applied: 48 });
 * // { consumedPerSecond: 10, appliedPerSecond: 8 }
 * ```
 */
export function ratesBetween(before: CounterSample, after: CounterSample): Rates {
  const seconds = (after.at - before.at) / 1000;
  if (seconds <= 0) return NO_RATES;
  const rate = (from: number, to: number) => (to >= from ? Math.round(((to - from) / seconds) * 100) / 100 : 0);
  return { consumedPerSecond: rate(before.consumed, after.consumed), appliedPerSecond: rate(before.applied, after.applied) };
}

/** The sum of several workers' rates (a connector's). */
export function sumRates(all: readonly Rates[]): Rates {
  const sum = (pick: (rates: Rates) => number) => Math.round(all.reduce((total, rates) => total + pick(rates), 0) * 100) / 100;
  return { consumedPerSecond: sum((r) => r.consumedPerSecond), appliedPerSecond: sum((r) => r.appliedPerSecond) };
}
