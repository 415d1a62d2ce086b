import { ERRORS } from '../../errors/index.js';
import { RateLimiter, retryAfterMs } from './rate-limiter.js';

describe('the rate limiter of a target', () => {
  let now = 0;
  const clock = () => now;

  it('lets a burst through at once, then spaces calls by 1/perSecond, in arrival order', () => {
    now = 1_000_000;
    const limiter = new RateLimiter({ perSecond: 10, burst: 3, now: clock });
    expect([limiter.reserve(10_000), limiter.reserve(10_000), limiter.reserve(10_000)]).toEqual([0, 0, 0]);
    expect(limiter.reserve(10_000)).toBe(100);
    expect(limiter.reserve(10_000)).toBe(200);
    now += 1000;
    // A quiet second refills the burst.
    expect(limiter.reserve(10_000)).toBe(0);
  });

  it('holds every call until a Retry-After pause is over', () => {
    now = 2_000_000;
    const limiter = new RateLimiter({ now: clock });
    expect(limiter.reserve(10_000)).toBe(0);
    limiter.pauseUntil(now + 3000);
    expect(limiter.reserve(10_000)).toBe(3000);
    limiter.pauseUntil(now + 1000); // an earlier end does not shorten the pause
    expect(limiter.reserve(10_000)).toBe(3000);
  });

  it('refuses, retriably and without reserving, a call that would wait longer than it may', () => {
    now = 3_000_000;
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, now: clock });
    limiter.pauseUntil(now + 60_000);
    expect(() => limiter.reserve(10_000)).toThrow(expect.objectContaining({ code: ERRORS.SINK_RATE_LIMITED.code, retriable: true }));
    now += 60_000;
    expect(limiter.reserve(10_000)).toBe(0);
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('2015-10-21T07:28:00Z'))).toBe(30_000);
    expect(retryAfterMs(['5', '9'])).toBe(5000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
