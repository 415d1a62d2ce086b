import { ERRORS, SwitchboardError } from '../../errors/index.js';
import { sleep } from '../../retry/index.js';

/** The target asked to wait, or the rate limit would hold a call longer than it may wait: retried later. */
export class RateLimitedError extends SwitchboardError {
  constructor(message: string) {
    super(ERRORS.SINK_RATE_LIMITED.code, message);
  }
}

/** Settings of a {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Calls per second at most; undefined: no limit, only pauses asked by the target. */
  readonly perSecond?: number;
  /** Calls that may go at once after a quiet time. Default `perSecond` (at least 1). */
  readonly burst?: number;
  /** The clock; tests pass their own. Default Date.now. */
  readonly now?: () => number;
}

/**
 * The rate limit of one target in one process, and the pause its `Retry-After` answers ask
 * for. A generic cell rate algorithm (a token bucket without a timer): each call reserves the
 * first free slot at once, in arrival order, and then waits for it; a pause moves every slot
 * after its end.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter({ perSecond: 10, burst: 5 });
 * await limiter.take(10_000);               // waits for a slot, at most 10 s
 * limiter.pauseUntil(Date.now() + 30_000);  // the target answered 429 with Retry-After: 30
 * ```
 */
export class RateLimiter {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly now: () => number;
  /** Theoretical arrival time of the next call (GCRA). */
  private nextSlot = 0;
  private pausedUntil = 0;

  constructor(options: RateLimiterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.intervalMs = options.perSecond ? 1000 / options.perSecond : 0;
    const burst = Math.max(1, options.burst ?? Math.ceil(options.perSecond ?? 1));
    this.toleranceMs = (burst - 1) * this.intervalMs;
  }

  /**
   * How long the next call must wait, in ms, reserving its slot; throws RateLimitedError (and
   * reserves nothing) when that is longer than `maxWaitMs`.
   */
  reserve(maxWaitMs: number): number {
    const now = this.now();
    const earliest = Math.max(now, this.pausedUntil);
    const at = Math.max(earliest, this.nextSlot - this.toleranceMs);
    const wait = at - now;
    if (wait > maxWaitMs) {
      const reason = this.pausedUntil > now ? `the target asked to wait until ${new Date(this.pausedUntil).toISOString()}` : 'its rate limit is reached';
      throw new RateLimitedError(`a call would wait ${Math.ceil(wait)} ms (${reason}); retried later`);
    }
    this.nextSlot = Math.max(this.nextSlot, at) + this.intervalMs;
    return wait;
  }

  /** Waits for the call's slot (see {@link reserve}). */
  async take(maxWaitMs: number): Promise<void> {
    const wait = this.reserve(maxWaitMs);
    if (wait > 0) await sleep(wait);
  }

  /** No call starts before `epochMs` (a Retry-After answer); a later pause wins. */
  pauseUntil(epochMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, epochMs);
  }
}

/**
 * The delay a `Retry-After` header asks for, in ms: delay-seconds or an HTTP date; undefined
 * when there is none or it cannot be read.
 *
 * @example
 * ```ts
 * retryAfterMs('2');                                   // 2000
 * retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', now);  // ms until then (0 when past)
 * ```
 */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
