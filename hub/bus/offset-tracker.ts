/**
 * Tracks which offsets of one partition's batch are done and answers the offset that may be
 * committed: the one after the last offset of the longest completed prefix. A record that
 * is still in flight (or was never started because the worker stopped) holds the commit
 * back even when later records are done; those are redelivered after a restart and
 * deduplicated by their idempotency key.
 *
 * Records are marked by their position in the batch (`completeAt`), so nothing is parsed per
 * record; offsets become numbers only when a commit is due.
 */
export class OffsetTracker {
  private readonly done: Uint8Array;
  private positions: Map<string, number> | undefined;
  private prefix = 0;

  /** `offsets` in ascending order, as fetched. */
  constructor(private readonly offsets: readonly string[]) {
    this.done = new Uint8Array(offsets.length);
  }

  /** Marks the record at `index` of the batch done. */
  completeAt(index: number): void {
    this.done[index] = 1;
    while (this.prefix < this.offsets.length && this.done[this.prefix] === 1) this.prefix++;
  }

  /** Marks the record with `offset` done. */
  complete(offset: string): void {
    this.positions ??= new Map(this.offsets.map((o, i) => [o, i]));
    const index = this.positions.get(offset);
    if (index !== undefined) this.completeAt(index);
  }

  /** The last offset of the completed prefix, or undefined when the first record is not done. */
  lastContiguous(): string | undefined {
    return this.prefix === 0 ? undefined : this.offsets[this.prefix - 1];
  }

  /** The offset to commit (Kafka commits the next offset to read), or undefined when nothing is done yet. */
  committable(): string | undefined {
    return this.prefix === 0 ? undefined : String(BigInt(this.offsets[this.prefix - 1]) + 1n);
  }

  get allDone(): boolean {
    return this.prefix === this.offsets.length;
  }
}
