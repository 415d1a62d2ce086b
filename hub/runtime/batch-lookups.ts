import type { ConsumedRecord } from '../bus/index.js';
import type { CompletedKeys } from '../state/completed-keys.js';
import type { ParkedKeys } from '../state/parked-keys.js';

/** What a connector's events need looked up before they are applied. */
export interface BatchLookupSources {
  readonly completed: Pick<CompletedKeys, 'hasMany'>;
  readonly parked: Pick<ParkedKeys, 'parkedAmong'>;
  /** The connector's name: idempotency keys are `<connector>:<ce_id>`. */
  readonly connector: string;
  /** Whether the connector produces events: then the first produced event's mark (`:p0`) is read too. */
  readonly produces: boolean;
}

/**
 * What Redis knew of one fetched batch's records when it was read, in one round trip for the
 * whole batch instead of two or three per record: whether each event was applied already
 * (its idempotency key, and for a producing connector the mark of its first produced event)
 * and which of the batch's keys have parked events.
 *
 * The answers are as fresh as the batch: a record's own work updates them (`noteParked`), and
 * an answer about an idempotency key is given once (`takeDone`), so a second record with the
 * same event id in the batch (a duplicate published twice) asks Redis again, after the first
 * settled (records of one key run one after another). A key freed by the retry consumer in the
 * meantime still reads as parked: the record then parks behind an empty queue and is applied
 * by the retry consumer at once, in order. Everything not read here is asked of Redis as before.
 *
 * @example
 * ```ts
 * const lookups = await BatchLookups.read(records, { completed, parked, connector: 'crm-order-to-erp', produces: false });
 * if (lookups.takeDone('crm-order-to-erp:6f1c...') ?? (await completed.has('crm-order-to-erp:6f1c...'))) skip();
 * ```
 */
export class BatchLookups {
  private constructor(
    private readonly done: Map<string, boolean>,
    private readonly parked: Set<string>,
    private readonly keys: ReadonlySet<string>,
  ) {}

  /** Reads the state of `records`, fetched from the connector's source topics. */
  static async read(records: readonly ConsumedRecord[], sources: BatchLookupSources): Promise<BatchLookups> {
    const marks: string[] = [];
    const keys = new Set<string>();
    for (const record of records) {
      const id = record.headers.ce_id;
      if (id) {
        const idempotencyKey = `${sources.connector}:${id}`;
        marks.push(idempotencyKey);
        if (sources.produces) marks.push(`${idempotencyKey}:p0`);
      }
      keys.add(record.key?.toString('utf8') ?? '');
    }
    const [done, parked] = await Promise.all([sources.completed.hasMany(marks), sources.parked.parkedAmong([...keys])]);
    return new BatchLookups(new Map(marks.map((mark, i) => [mark, done[i]])), parked, keys);
  }

  /** Whether `idempotencyKey` was done when the batch was read; undefined when not read (or asked before). */
  takeDone(idempotencyKey: string): boolean | undefined {
    const done = this.done.get(idempotencyKey);
    this.done.delete(idempotencyKey);
    return done;
  }

  /** Whether `key` had parked events when the batch was read (or got one since, here); undefined when not read. */
  isParked(key: string): boolean | undefined {
    if (!this.keys.has(key)) return undefined;
    return this.parked.has(key);
  }

  /** A record of `key` was parked: the later records of the key in this batch park behind it. */
  noteParked(key: string): void {
    this.parked.add(key);
  }
}
