import { lagSlope, lagVerdict, type LagSample } from './lag-trend.js';

const every5s = (lags: number[]): LagSample[] => lags.map((lag, i) => ({ atS: 5 * (i + 1), lag }));

describe('lagSlope', () => {
  it('is the least-squares slope in events per second', () => {
    expect(lagSlope(every5s([100, 150, 200, 250]))).toBeCloseTo(10);
    expect(lagSlope(every5s([300, 300, 300]))).toBe(0);
    expect(lagSlope(every5s([400, 300, 200]))).toBeCloseTo(-20);
    expect(lagSlope(every5s([5]))).toBeNaN();
  });
});

describe('lagVerdict', () => {
  // The 150 orders/s step of the run of 2026-12-02 23:42, which the old rule (last third within
  // 1.25 × the middle third plus one second of orders) called sustained.
  const climbing = every5s([1416, 1823, 2147, 2430, 2219, 2423, 2553, 2929, 2630, 2995, 3332, 3531]);
  // The 125 orders/s step of the same run: noisy, no trend; its last sample came after the placing ended.
  const noisy = every5s([814, 1065, 1014, 1418, 1036, 863, 867, 816, 397, 534, 821, 0]);

  it('calls a backlog that grew by more than one second of the flow\'s work growing', () => {
    const verdict = lagVerdict(climbing, 60, 1000);
    expect(verdict.growing).toBe(true);
    expect(verdict.rise).toBeGreaterThan(1000);
  });

  it('lets a noisy lag without a trend pass, and leaves out the samples after the placing', () => {
    expect(lagVerdict(noisy, 58, 800)).toMatchObject({ growing: false, allowed: 800 });
    expect(lagVerdict(noisy, 58, 800).rise).toBeLessThan(0);
  });

  it('leaves out the first sample, taken while the pipeline filled', () => {
    // Filling from 0 to 500 then flat: with the first sample the fitted line would climb.
    expect(lagVerdict(every5s([0, 500, 500, 500, 500]), 30, 100).growing).toBe(false);
    expect(lagVerdict(every5s([0, 500, 700, 900, 1100]), 30, 100).growing).toBe(true);
  });
});
