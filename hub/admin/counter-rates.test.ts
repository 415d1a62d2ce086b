import { NO_RATES, ratesBetween, sumRates } from './counter-rates.js';

describe('rates from successive counter samples', () => {
  it('divides what the counters moved by the seconds between the samples', () => {
    expect(ratesBetween({ at: 1000, consumed: 10, applied: 8 }, { at: 6000, consumed: 60, applied: 48 })).toEqual({ consumedPerSecond: 10, appliedPerSecond: 8 });
    expect(ratesBetween({ at: 0, consumed: 0, applied: 0 }, { at: 3000, consumed: 1, applied: 0 })).toEqual({ consumedPerSecond: 0.33, appliedPerSecond: 0 });
  });

  it('gives 0 for samples out of order or counters that went down (a restart)', () => {
    expect(ratesBetween({ at: 5000, consumed: 10, applied: 8 }, { at: 5000, consumed: 20, applied: 9 })).toEqual(NO_RATES);
    expect(ratesBetween({ at: 5000, consumed: 10, applied: 8 }, { at: 1000, consumed: 20, applied: 9 })).toEqual(NO_RATES);
    expect(ratesBetween({ at: 0, consumed: 100, applied: 90 }, { at: 5000, consumed: 5, applied: 95 })).toEqual({ consumedPerSecond: 0, appliedPerSecond: 1 });
  });

  it('adds up the workers of a connector', () => {
    expect(sumRates([{ consumedPerSecond: 1.5, appliedPerSecond: 1 }, { consumedPerSecond: 2.25, appliedPerSecond: 2 }])).toEqual({ consumedPerSecond: 3.75, appliedPerSecond: 3 });
    expect(sumRates([])).toEqual(NO_RATES);
  });
});
