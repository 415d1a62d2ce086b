/**
 * Exponential backoff with jitter, the one retry delay every Switchboard loop uses (the outbox
 * relay, the connector runtime), in the spirit of kafkajs's `retry` module: callers do not
 * write their own sleep arithmetic.
 *
 * The delay of attempt n (0-based) is `min(maxMs, initialMs × multiplier^n)`, of which the
 * `jitter` fraction is random ("equal jitter" at 0.5): many processes failing together do not
 * retry in lock-step, and the delay never exceeds `maxMs`.
 */

/** Settings of a backoff; every field has a default. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms. Default 100. */
  readonly initialMs?: number;
  /** Upper bound of any delay, in ms. Default 5000. */
  readonly maxMs?: number;
  /** Growth per attempt. Default 2. */
  readonly multiplier?: number;
  /** Fraction (0..1) of each delay that is random. Default 0.5. */
  readonly jitter?: number;
  /** Source of randomness in [0, 1); tests pass a fixed one. Default Math.random. */
  readonly random?: () => number;
}

const DEFAULTS = { initialMs: 100, maxMs: 5000, multiplier: 2, jitter: 0.5 } as const;

/**
 * The delay before retry number `attempt` (0 for the first retry).
 *
 * @example
 * ```ts
 * backoffDelay(0);                          // 50..100 ms
 * backoffDelay(10, { maxMs: 5000 });        // 2500..5000 ms
 * ```
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initialMs = options.initialMs ?? DEFAULTS.initialMs;
  const maxMs = options.maxMs ?? DEFAULTS.maxMs;
  const multiplier = options.multiplier ?? DEFAULTS.multiplier;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? DEFAULTS.jitter));
  const random = options.random ?? Math.random;
  // Capping the exponent keeps a long outage from overflowing to Infinity.
  const ceiling = Math.min(maxMs, initialMs * multiplier ** Math.min(Math.max(0, attempt), 64));
  return Math.round(ceiling * (1 - jitter) + ceiling * jitter * random());
}

/**
 * A backoff that counts its own attempts: `next()` after each failure, `reset()` after a success.
 *
 * @example
 * ```ts
 * const backoff = new Backoff({ maxMs: 5000 });
 * for (;;) {
 *   try { await publish(); backoff.reset(); break; }
 *   catch (error) { if (!isRetriable(error)) throw error; await sleep(backoff.next(), signal); }
 * }
 * ```
 */
export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions = {}) {}

  /** Failures since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay to wait before the next retry; counts one more failure. */
  next(): number {
    const delay = backoffDelay(this.attempt, this.options);
    this.attempt += 1;
    return delay;
  }

  /** Forgets past failures (call after a success). */
  reset(): void {
    this.attempt = 0;
  }
}

/**
 * Resolves after `ms`, or at once when `signal` aborts (it never rejects: a stopping loop
 * checks its own state after waking).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
