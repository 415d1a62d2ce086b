import { Backoff, backoffDelay, sleep } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles from initialMs and never passes maxMs', () => {
    const top = { random: () => 1 - Number.EPSILON, jitter: 0.5 };
    const delays = Array.from({ length: 10 }, (_, attempt) => backoffDelay(attempt, { initialMs: 100, maxMs: 5000, ...top }));
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000]);
  });

  it('takes the jitter fraction off at random (equal jitter by default)', () => {
    expect(backoffDelay(3, { initialMs: 100, random: () => 0 })).toBe(400);
    expect(backoffDelay(3, { initialMs: 100, random: () => 0.5 })).toBe(600);
    expect(backoffDelay(3, { initialMs: 100, jitter: 0, random: () => 0 })).toBe(800);
    expect(backoffDelay(3, { initialMs: 100, jitter: 1, random: () => 0 })).toBe(0);
    for (let i = 0; i < 200; i += 1) {
      const delay = backoffDelay(4);
      expect(delay).toBeGreaterThanOrEqual(800);
      expect(delay).toBeLessThanOrEqual(1600);
    }
  });

  it('stays finite for a very long outage and treats a negative attempt as the first', () => {
    expect(backoffDelay(10_000, { maxMs: 5000, jitter: 0 })).toBe(5000);
    expect(backoffDelay(-3, { initialMs: 100, jitter: 0 })).toBe(100);
  });
});

describe('Backoff', () => {
  it('counts attempts and starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 10, jitter: 0 });
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([10, 20, 40]);
    expect(backoff.attempts).toBe(3);
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.next()).toBe(10);
  });
});

describe('sleep', () => {
  it('waits, and wakes at once when its signal aborts', async () => {
    const started = Date.now();
    await sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);

    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await waiting; // a hung test here would mean the abort was ignored
    await sleep(60_000, controller.signal); // already aborted: returns at once
  });
});
