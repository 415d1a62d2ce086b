/**
 * Runs jobs so that jobs of the same key run one after another, in submission order, while
 * jobs of different keys run in parallel, at most `concurrency` at a time. This is what lets
 * an HTTP-bound connector make several calls at once from one partition without reordering
 * one aggregate's events.
 *
 * A job is started only when its key is free and a slot is free; `shouldStart()` is asked
 * just before, so a stopping worker leaves queued jobs unstarted (they resolve with
 * `started: false` and are not counted as done).
 */
export class KeyedScheduler {
  private running = 0;
  /** Jobs waiting for a slot, in submission order (their key is free or will be when they reach the front). */
  private readonly ready: (() => void)[] = [];
  /** The tail of each key's chain: resolves true when the key's jobs so far all succeeded. */
  private readonly tails = new Map<string, Promise<boolean>>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly concurrency: number,
    private readonly shouldStart: () => boolean = () => true,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }

  /**
   * Queues `job` behind earlier jobs of `key`; resolves with whether it ran (and its errors
   * propagate). Once a job of a key fails, the later jobs of that key are not started
   * (`started: false`): the caller redelivers them after the failed one, so the key's order holds.
   */
  run(key: string, job: () => Promise<void>): Promise<{ started: boolean }> {
    const previous = this.tails.get(key) ?? Promise.resolve(true);
    const result = previous.then(async (keyHealthy) => {
      if (!keyHealthy) return { started: false };
      const slot = await this.acquire();
      if (!slot) return { started: false };
      try {
        await job();
        return { started: true };
      } finally {
        this.release();
      }
    });
    const settled = result.then((outcome) => outcome.started, () => false);
    this.tails.set(key, settled);
    this.pending.add(settled);
    void settled.then(() => {
      this.pending.delete(settled);
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves when every queued job has finished or been skipped. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Waits for a slot; false when the scheduler should not start more work. */
  private acquire(): Promise<boolean> {
    if (!this.shouldStart()) return Promise.resolve(false);
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      this.ready.push(() => {
        if (!this.shouldStart()) {
          resolve(false);
          this.wakeNext();
          return;
        }
        this.running++;
        resolve(true);
      });
    });
  }

  private release(): void {
    this.running--;
    this.wakeNext();
  }

  private wakeNext(): void {
    if (this.running < this.concurrency) this.ready.shift()?.();
  }
}
