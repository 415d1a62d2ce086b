/**
 * Gathers the writes of many records into one SQLite transaction: `run(work)` queues `work` and
 * resolves once the transaction holding it has committed (or rejects if it failed), so the
 * consumer counts a record as done — and may commit its offset — only after its rows are
 * written. Everything queued within one turn of the event loop shares a transaction.
 *
 * @example
 * ```ts
 * const commits = new GroupCommit((work) => store.transaction(work));
 * await commits.run(() => store.addEvent(event)); // the row is in the database now
 * ```
 */
export class GroupCommit {
  private queue: { work: () => void; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;

  /** @param transaction runs the queued works in one transaction (synchronously). */
  constructor(private readonly transaction: (work: () => void) => void, private readonly maxBatch = 2000) {}

  run(work: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes what is queued now. */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    try {
      this.transaction(() => {
        for (const item of batch) item.work();
      });
    } catch {
      // One bad write must not fail the others: write each alone, and reject only those that fail.
      for (const item of batch) {
        try {
          this.transaction(item.work);
          item.resolve();
        } catch (error) {
          item.reject(error);
        }
      }
      return;
    }
    for (const item of batch) item.resolve();
  }
}
