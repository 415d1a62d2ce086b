/**
 * Whether a step of the end-to-end bench kept up: the trend of the connectors' summed consumer
 * lag while orders were placed. Lag sampled every few seconds is noisy (a batch in flight, a
 * rebalance, a collection pause), so one sample against another says little; the least-squares
 * slope through all of them says whether the backlog grew. The first sample is left out: the
 * pipeline is filling then. The step kept up when the backlog the slope adds over the whole
 * placement is at most one second of the flow's own work (the events its connectors applied
 * per second at this rate): a backlog that grows by more than that each minute grows without end.
 */

/** One lag sample: seconds since the step started, and the summed lag then (events). */
export interface LagSample {
  readonly atS: number;
  readonly lag: number;
}

/** Least-squares slope of lag over time, events per second (NaN with fewer than two samples). */
export function lagSlope(samples: readonly LagSample[]): number {
  if (samples.length < 2) return NaN;
  const meanT = samples.reduce((sum, s) => sum + s.atS, 0) / samples.length;
  const meanLag = samples.reduce((sum, s) => sum + s.lag, 0) / samples.length;
  let covariance = 0;
  let variance = 0;
  for (const sample of samples) {
    covariance += (sample.atS - meanT) * (sample.lag - meanLag);
    variance += (sample.atS - meanT) ** 2;
  }
  return variance === 0 ? NaN : covariance / variance;
}

/** The verdict on a step's lag: the backlog its trend added over the placement, and the most it may add. */
export interface LagVerdict {
  readonly growing: boolean;
  /** Events the fitted trend adds between the first and the last sample used. */
  readonly rise: number;
  /** One second of the flow's work: events applied per second at this rate. */
  readonly allowed: number;
}

/**
 * Judges a step's lag from the samples taken while orders were placed (`placedForS` seconds)
 * and the events the connectors applied per second meanwhile.
 *
 * @example
 * ```ts
 * lagVerdict([{ atS: 5, lag: 900 }, { atS: 10, lag: 1400 }, { atS: 15, lag: 2100 }], 60, 700);
 * // { growing: true, rise: 1200, allowed: 700 }
 * ```
 */
export function lagVerdict(samples: readonly LagSample[], placedForS: number, appliedPerS: number): LagVerdict {
  const placing = samples.filter((sample) => sample.atS <= placedForS).slice(1);
  const slope = lagSlope(placing);
  const span = placing.length ? placing[placing.length - 1].atS - placing[0].atS : 0;
  const rise = Number.isNaN(slope) ? 0 : slope * span;
  return { growing: rise > appliedPerS, rise: Math.round(rise), allowed: Math.round(appliedPerS) };
}

/** A verdict as the bench's notes print it, e.g. `trend +487 events, allowed 500`. */
export function describeLagVerdict(verdict: LagVerdict): string {
  return `trend ${verdict.rise >= 0 ? '+' : ''}${verdict.rise} events, allowed ${verdict.allowed}`;
}
