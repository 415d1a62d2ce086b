/** One submitted job and how to settle the promise `run` returned for it. */
interface Entry {
  readonly key: string;
  readonly job: () => Promise<void>;
  readonly resolve: (outcome: { started: boolean }) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Runs jobs so that jobs of the same key run one after another, in submission order, while
 * jobs of different keys run in parallel, at most `concurrency` at a time. This is what lets
 * an HTTP-bound connector make several calls at once from one partition without reordering
 * one aggregate's events.
 *
 * A job is started only when its key is free and a slot is free; `shouldStart()` is asked
 * just before, so a stopping worker leaves queued jobs unstarted (they resolve with
 * `started: false` and are not counted as done).
 *
 * Plain queues rather than promise chains: one job per consumed record goes through here, and a
 * chain of promises per record was measurable in the connector runtime's profile.
 */
export class KeyedScheduler {
  private running = 0;
  /** Jobs whose key is free, waiting for a slot, in the order they became ready (from `head` on). */
  private ready: (Entry | undefined)[] = [];
  private head = 0;
  /** Keys with a job running or ready, and the jobs of that key waiting behind it, in submission order. */
  private readonly keys = new Map<string, Entry[]>();
  /** Jobs submitted and not yet finished or skipped. */
  private outstanding = 0;
  private idleWaiters: (() => void)[] = [];

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
    return new Promise((resolve, reject) => {
      this.outstanding++;
      const entry: Entry = { key, job, resolve, reject };
      const waiting = this.keys.get(key);
      if (waiting) {
        waiting.push(entry);
        return;
      }
      this.keys.set(key, []);
      this.ready.push(entry);
      this.pump();
    });
  }

  /** Resolves when every queued job has finished or been skipped. */
  idle(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Starts ready jobs while slots are free. */
  private pump(): void {
    while (this.running < this.concurrency && this.head < this.ready.length) {
      const entry = this.ready[this.head] as Entry;
      this.ready[this.head++] = undefined;
      if (this.head > 1024 && this.head * 2 > this.ready.length) {
        this.ready = this.ready.slice(this.head);
        this.head = 0;
      }
      if (this.shouldStart()) this.start(entry);
      else this.skipKey(entry);
    }
  }

  private start(entry: Entry): void {
    this.running++;
    let running: Promise<void>;
    try {
      running = entry.job();
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      () => this.finish(entry, true, undefined),
      (error: unknown) => this.finish(entry, false, error),
    );
  }

  private finish(entry: Entry, ok: boolean, error: unknown): void {
    this.running--;
    if (ok) {
      entry.resolve({ started: true });
      const waiting = this.keys.get(entry.key) as Entry[];
      const next = waiting.shift();
      if (next) this.ready.push(next);
      else this.keys.delete(entry.key);
      this.settled();
    } else {
      entry.reject(error);
      this.settled();
      this.skipWaiting(entry.key);
    }
    this.pump();
  }

  /** `entry` is not started (stopping): neither are the jobs of its key behind it. */
  private skipKey(entry: Entry): void {
    entry.resolve({ started: false });
    this.settled();
    this.skipWaiting(entry.key);
  }

  private skipWaiting(key: string): void {
    const waiting = this.keys.get(key) ?? [];
    this.keys.delete(key);
    for (const skipped of waiting) {
      skipped.resolve({ started: false });
      this.settled();
    }
  }

  private settled(): void {
    if (--this.outstanding > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
