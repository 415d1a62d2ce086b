import type { ChangeRecord } from './change-record.js';

/** What the queue holds, in stream order: changes to publish, and marks to reach once everything before them is published. */
export type QueueEntry =
  | { readonly kind: 'change'; readonly record: ChangeRecord }
  /** A commit (confirm its LSN) or the end of a snapshot: `reached` runs once every change before it is acknowledged. */
  | { readonly kind: 'mark'; readonly reached: () => void | Promise<void> };

/** A prefix of the queue taken for one produce request. */
export interface QueueBatch {
  readonly records: readonly ChangeRecord[];
  /** The marks inside the prefix, in order: reached once the records are acknowledged. */
  readonly marks: readonly (() => void | Promise<void>)[];
}

/** Settings of a {@link ChangeQueue}. */
export interface ChangeQueueOptions {
  /** Changes held before `room()` makes the reader wait (and PostgreSQL's stream pauses). Default 5000. */
  readonly highWater?: number;
  /** Changes held when a waiting reader goes on. Default half of highWater. */
  readonly lowWater?: number;
}

/**
 * The changes read from PostgreSQL and not yet acknowledged by Kafka, in commit order, with
 * the marks (commits, snapshot ends) between them. The publisher takes a prefix, publishes
 * it as one request, and only then reaches the marks in it: a commit's LSN is confirmed to
 * PostgreSQL after every change up to it is in Kafka, never before. The reader waits on
 * `room()` when too much is held, which pauses the replication stream (backpressure).
 *
 * @example
 * ```ts
 * queue.push({ kind: 'change', record });
 * queue.push({ kind: 'mark', reached: () => confirm(commitEndLsn) });
 * const batch = queue.take(500); // publish batch.records, then run batch.marks
 * ```
 */
export class ChangeQueue {
  private entries: QueueEntry[] = [];
  private head = 0;
  private changes = 0;
  private readonly highWater: number;
  private readonly lowWater: number;
  private roomWaiters: (() => void)[] = [];
  private dataWaiters: (() => void)[] = [];

  constructor(options: ChangeQueueOptions = {}) {
    this.highWater = options.highWater ?? 5000;
    this.lowWater = options.lowWater ?? Math.floor(this.highWater / 2);
  }

  /** Changes held (marks not counted). */
  get size(): number {
    return this.changes;
  }

  /** True when nothing is held, marks included. */
  get empty(): boolean {
    return this.head >= this.entries.length;
  }

  push(entry: QueueEntry): void {
    this.entries.push(entry);
    if (entry.kind === 'change') this.changes++;
    const waiters = this.dataWaiters;
    this.dataWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves at once while fewer than highWater changes are held; else once the publisher brought them down to lowWater. */
  room(): Promise<void> {
    if (this.changes < this.highWater) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Resolves once something is held (at once when it already is), or when `signal` aborts. */
  whenNotEmpty(signal: AbortSignal): Promise<void> {
    if (!this.empty || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.dataWaiters.push(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Takes the oldest entries holding at most `maxRecords` changes, with the marks among (and right after) them. */
  take(maxRecords: number): QueueBatch {
    const records: ChangeRecord[] = [];
    const marks: (() => void | Promise<void>)[] = [];
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head];
      if (entry.kind === 'change') {
        if (records.length >= maxRecords) break;
        records.push(entry.record);
      } else {
        marks.push(entry.reached);
      }
      this.head++;
    }
    this.changes -= records.length;
    // Drop the consumed prefix now and then rather than shifting on every take.
    if (this.head > 4096 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    if (this.changes <= this.lowWater && this.roomWaiters.length > 0) {
      const waiters = this.roomWaiters;
      this.roomWaiters = [];
      for (const wake of waiters) wake();
    }
    return { records, marks };
  }

  /** Drops everything held (a lost replication connection: PostgreSQL sends it all again from the confirmed position). */
  clear(): void {
    this.entries = [];
    this.head = 0;
    this.changes = 0;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }
}
