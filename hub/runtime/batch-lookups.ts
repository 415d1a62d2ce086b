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

/** Per record: which answers were read (KNOWN bits) and what they said (DONE bits). */
const EVENT_KNOWN = 1;
const EVENT_DONE = 2;
const PRODUCE_KNOWN = 4;
const PRODUCE_DONE = 8;

/**
 * What Redis knew of one fetched batch's records when it was read, in one round trip for the
 * whole batch instead of two or three per record: whether each event was applied already
 * (its idempotency key, and for a producing connector the mark of its first produced event)
 * and which of the batch's keys have parked events.
 *
 * The answers are as fresh as the batch: a record's own work updates them (`noteParked`), an
 * answer is given once (a retry asks Redis), and records whose event id occurs twice in the batch
 * (an event published twice) get no answer: the second asks Redis after the first settled
 * (records of one key run one after another). A key freed by the retry consumer in the meantime
 * still reads as parked: the record then parks behind an empty queue and is applied by the retry
 * consumer at once, in order. Everything not read here is asked of Redis as before.
 *
 * @example
 * ```ts
 * const lookups = await BatchLookups.read(records, { completed, parked, connector: 'crm-order-to-erp', produces: false });
 * if (lookups.takeEventDone(record) ?? (await completed.has(`crm-order-to-erp:${record.headers.ce_id}`))) skip();
 * ```
 */
export class BatchLookups {
  private constructor(
    private readonly answers: Map<ConsumedRecord, number>,
    private readonly parked: Set<string>,
    private readonly keys: ReadonlySet<string>,
  ) {}

  /** Reads the state of `records`, fetched from the connector's source topics. */
  static async read(records: readonly ConsumedRecord[], sources: BatchLookupSources): Promise<BatchLookups> {
    const seen = new Map<string, number>();
    for (const record of records) {
      const id = record.headers.ce_id;
      if (id) seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    const marks: string[] = [];
    const asked: ConsumedRecord[] = [];
    const keys = new Set<string>();
    for (const record of records) {
      keys.add(record.key?.toString('utf8') ?? '');
      const id = record.headers.ce_id;
      if (!id || seen.get(id) !== 1) continue;
      asked.push(record);
      const idempotencyKey = `${sources.connector}:${id}`;
      marks.push(idempotencyKey);
      if (sources.produces) marks.push(`${idempotencyKey}:p0`);
    }
    const [done, parked] = await Promise.all([sources.completed.hasMany(marks), sources.parked.parkedAmong([...keys])]);
    const answers = new Map<ConsumedRecord, number>();
    const step = sources.produces ? 2 : 1;
    asked.forEach((record, i) => {
      let flags = EVENT_KNOWN | (done[i * step] ? EVENT_DONE : 0);
      if (sources.produces) flags |= PRODUCE_KNOWN | (done[i * step + 1] ? PRODUCE_DONE : 0);
      answers.set(record, flags);
    });
    return new BatchLookups(answers, parked, keys);
  }

  /** Whether `record`'s event was applied when the batch was read; undefined when not read (or asked before). */
  takeEventDone(record: ConsumedRecord): boolean | undefined {
    return this.take(record, EVENT_KNOWN, EVENT_DONE);
  }

  /** Whether the first event `record`'s event produces was marked done; undefined when not read (or asked before). */
  takeFirstProduceDone(record: ConsumedRecord): boolean | undefined {
    return this.take(record, PRODUCE_KNOWN, PRODUCE_DONE);
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

  private take(record: ConsumedRecord, known: number, done: number): boolean | undefined {
    const flags = this.answers.get(record);
    if (flags === undefined || (flags & known) === 0) return undefined;
    this.answers.set(record, flags & ~(known | done));
    return (flags & done) !== 0;
  }
}
