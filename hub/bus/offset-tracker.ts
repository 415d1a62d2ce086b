/**
 * Tracks which offsets of one partition's batch are done and answers the offset that may be
 * committed: the one after the last offset of the longest completed prefix. A record that
 * is still in flight (or was never started because the worker stopped) holds the commit
 * back even when later records are done; those are redelivered after a restart and
 * deduplicated by their idempotency key.
 */
export class OffsetTracker {
  private readonly offsets: bigint[];
  private readonly done = new Set<bigint>();
  private prefix = 0;

  /** `offsets` in ascending order, as fetched. */
  constructor(offsets: readonly string[]) {
    this.offsets = offsets.map((offset) => BigInt(offset));
  }

  complete(offset: string): void {
    this.done.add(BigInt(offset));
    while (this.prefix < this.offsets.length && this.done.has(this.offsets[this.prefix])) this.prefix++;
  }

  /** The last offset of the completed prefix, or undefined when the first record is not done. */
  lastContiguous(): string | undefined {
    return this.prefix === 0 ? undefined : String(this.offsets[this.prefix - 1]);
  }

  /** The offset to commit (Kafka commits the next offset to read), or undefined when nothing is done yet. */
  committable(): string | undefined {
    return this.prefix === 0 ? undefined : String(this.offsets[this.prefix - 1] + 1n);
  }

  get allDone(): boolean {
    return this.prefix === this.offsets.length;
  }
}
