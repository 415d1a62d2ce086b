import type { Bus, ConsumedRecord, TopicTail } from '../bus/index.js';
import type { Logger } from '../log/logger.js';
import { deadLetterOf, type DeadLetter } from '../runtime/dead-letters.js';
import type { AdminConnector } from './admin-connectors.js';

/** What a listing needs of a dead letter: kept in memory for every indexed one. */
export type DeadLetterFacts = Omit<DeadLetter, 'status' | 'value' | 'headers'>;

/** The bulky part of a dead letter: the event's headers and payload. */
export interface DeadLetterPayload {
  readonly headers: Readonly<Record<string, string>>;
  readonly value: Buffer | null;
}

/**
 * A dead letter in the index. Its payload (headers and value) may have been dropped from memory
 * (`payload` undefined) to stay within the budget; `readPayload` fetches it again from the topic.
 */
export interface IndexedDeadLetter {
  readonly letter: DeadLetterFacts;
  /** Where it is on the dead-letter topic. */
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  payload: DeadLetterPayload | undefined;
  /** Roughly what the payload holds, in bytes (counted against the budget). */
  readonly payloadBytes: number;
}

/** Strings that repeat across dead letters (codes, topics) are kept once. */
class Interned {
  private readonly strings = new Map<string, string>();

  of(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    if (this.strings.size < 10_000) this.strings.set(text, text);
    return text;
  }
}

/** Reads one record of a dead-letter topic into an index entry. */
export function indexEntryOf(record: ConsumedRecord, connector: string, interned: Interned = new Interned()): IndexedDeadLetter {
  const { id, errorCode, errorMessage, attempts, originalTopic, originalPartition, originalOffset, failedAt, key, eventId, headers, value } = deadLetterOf(record, connector);
  const letter: DeadLetterFacts = { id, connector, errorCode: interned.of(errorCode), errorMessage, attempts, originalTopic: interned.of(originalTopic), originalPartition, originalOffset, failedAt, key, eventId };
  // What the payload costs on the heap, measured: about 120 bytes per header besides its text, 100 per buffer.
  const headerBytes = Object.entries(headers).reduce((sum, [name, text]) => sum + name.length + text.length + 120, 0);
  return { letter, topic: interned.of(record.topic), partition: record.partition, offset: record.offset, payload: { headers, value }, payloadBytes: headerBytes + (value?.length ?? 0) + 100 };
}

export interface DeadLetterIndexOptions {
  readonly bus: Bus;
  readonly connectors: readonly AdminConnector[];
  /** Dead letters kept (all connectors together); the oldest drop out beyond it. */
  readonly limit: number;
  /** Bytes of payloads (headers and values) kept; the oldest are dropped (and read back from Kafka on demand) beyond it. */
  readonly valueBudgetBytes: number;
  readonly logger: Logger;
}

/**
 * The admin process's in-memory index of every connector's dead-letter topic, kept current by
 * one tail consumer on all of them, so listing dead letters answers from memory instead of
 * reading the topics each time (DeadLetters.list). Bounded: at most `limit` dead letters (the
 * oldest drop out; `dropped` counts them) and `valueBudgetBytes` of payloads — the event's
 * headers and bytes (an older payload is read back from its topic when it is shown or replayed).
 *
 * @example
 * ```ts
 * const index = new DeadLetterIndex({ bus, connectors, limit: 20_000, valueBudgetBytes: 16 << 20, logger });
 * await index.start();
 * for (const entry of index.letters('crm-order-to-erp')) console.log(entry.letter.id, entry.letter.errorCode);
 * ```
 */
export class DeadLetterIndex {
  private readonly byTopic: Map<string, string>;
  private readonly byConnector = new Map<string, Map<string, IndexedDeadLetter>>();
  /** Every entry in arrival order; `head` is the oldest still indexed, `payloadHead` the oldest that may still hold its payload. */
  private order: IndexedDeadLetter[] = [];
  private head = 0;
  private payloadHead = 0;
  private payloadBytes = 0;
  private droppedCount = new Map<string, number>();
  private readonly interned = new Interned();
  private tail: TopicTail | undefined;

  constructor(private readonly options: DeadLetterIndexOptions) {
    this.byTopic = new Map(options.connectors.map((connector) => [connector.deadLetterTopic, connector.name]));
    for (const connector of options.connectors) this.byConnector.set(connector.name, new Map());
  }

  /** Reads every dead-letter topic (they must exist) to its end, then keeps following them. */
  async start(): Promise<void> {
    this.tail = this.options.bus.tail({
      topics: [...this.byTopic.keys()],
      label: 'admin.dead-letters',
      logger: this.options.logger,
      onRecord: (record) => this.add(record),
    });
    await this.tail.start();
  }

  async stop(): Promise<void> {
    await this.tail?.stop();
  }

  /** The indexed dead letters of `connector`, oldest first. */
  letters(connector: string): IterableIterator<IndexedDeadLetter> {
    return (this.byConnector.get(connector) ?? new Map<string, IndexedDeadLetter>()).values();
  }

  /** One dead letter, when indexed. */
  get(connector: string, id: string): IndexedDeadLetter | undefined {
    return this.byConnector.get(connector)?.get(id);
  }

  /** Dead letters of `connector` that dropped out of the index (beyond `limit`). */
  dropped(connector: string): number {
    return this.droppedCount.get(connector) ?? 0;
  }

  /** The headers and value of an indexed dead letter, read back from its topic when they were dropped from memory. */
  async readPayload(entry: IndexedDeadLetter): Promise<DeadLetterPayload> {
    if (entry.payload !== undefined) return entry.payload;
    const record = await this.options.bus.readRecordAt(entry.topic, entry.partition, entry.offset);
    if (!record) return { headers: {}, value: null };
    const { headers, value } = deadLetterOf(record, entry.letter.connector);
    return { headers, value };
  }

  private add(record: ConsumedRecord): void {
    const connector = this.byTopic.get(record.topic);
    if (connector === undefined) return;
    const entry = indexEntryOf(record, connector, this.interned);
    this.byConnector.get(connector)?.set(entry.letter.id, entry);
    this.order.push(entry);
    this.payloadBytes += entry.payloadBytes;
    while (this.order.length - this.head > this.options.limit) this.evict();
    while (this.payloadBytes > this.options.valueBudgetBytes && this.payloadHead < this.order.length) this.dropPayload();
    if (this.head > 4096 && this.head > this.order.length / 2) this.compact();
  }

  private evict(): void {
    const oldest = this.order[this.head];
    this.head++;
    if (this.payloadHead < this.head) {
      this.payloadBytes -= oldest.payload === undefined ? 0 : oldest.payloadBytes;
      this.payloadHead = this.head;
    }
    const connector = oldest.letter.connector;
    this.byConnector.get(connector)?.delete(oldest.letter.id);
    this.droppedCount.set(connector, (this.droppedCount.get(connector) ?? 0) + 1);
  }

  private dropPayload(): void {
    const entry = this.order[Math.max(this.payloadHead, this.head)];
    this.payloadHead = Math.max(this.payloadHead, this.head) + 1;
    if (entry.payload !== undefined) {
      this.payloadBytes -= entry.payloadBytes;
      entry.payload = undefined;
    }
  }

  private compact(): void {
    this.order = this.order.slice(this.head);
    this.payloadHead -= this.head;
    this.head = 0;
  }
}
