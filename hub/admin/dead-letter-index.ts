import type { Bus, ConsumedRecord, TopicTail } from '../bus/index.js';
import type { Logger } from '../log/logger.js';
import { deadLetterOf, type DeadLetter } from '../runtime/dead-letters.js';
import type { AdminConnector } from './admin-connectors.js';

/** A dead letter in the index. Its payload may have been dropped from memory (`value` undefined); `readValue` fetches it again. */
export interface IndexedDeadLetter {
  readonly letter: Omit<DeadLetter, 'status' | 'value'>;
  /** Where it is on the dead-letter topic. */
  readonly partition: number;
  readonly offset: string;
  readonly topic: string;
  /** The payload; undefined once dropped to stay within the memory budget. */
  value: Buffer | null | undefined;
  readonly valueBytes: number;
}

export interface DeadLetterIndexOptions {
  readonly bus: Bus;
  readonly connectors: readonly AdminConnector[];
  /** Dead letters kept (all connectors together); the oldest drop out beyond it. */
  readonly limit: number;
  /** Bytes of payloads kept; the oldest payloads are dropped (and read back from Kafka on demand) beyond it. */
  readonly valueBudgetBytes: number;
  readonly logger: Logger;
}

/**
 * The admin process's in-memory index of every connector's dead-letter topic, kept current by
 * one tail consumer on all of them, so listing dead letters answers from memory instead of
 * reading the topics each time (DeadLetters.list). Bounded: at most `limit` dead letters (the
 * oldest drop out; `dropped` counts them) and `valueBudgetBytes` of payloads (an older payload is
 * read back from its topic when one is shown or replayed).
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
  /** Every entry in arrival order; `head` is the oldest still indexed, `valueHead` the oldest that may still hold its payload. */
  private order: IndexedDeadLetter[] = [];
  private head = 0;
  private valueHead = 0;
  private valueBytes = 0;
  private droppedCount = new Map<string, number>();
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

  /** The payload of an indexed dead letter, read back from its topic when it was dropped from memory. */
  async readValue(entry: IndexedDeadLetter): Promise<Buffer | null> {
    if (entry.value !== undefined) return entry.value;
    const record = await this.options.bus.readRecordAt(entry.topic, entry.partition, entry.offset);
    return record?.value ?? null;
  }

  private add(record: ConsumedRecord): void {
    const connector = this.byTopic.get(record.topic);
    if (connector === undefined) return;
    const { id, errorCode, errorMessage, attempts, originalTopic, originalPartition, originalOffset, failedAt, key, eventId, headers } = deadLetterOf(record, connector);
    const letter = { id, connector, errorCode, errorMessage, attempts, originalTopic, originalPartition, originalOffset, failedAt, key, eventId, headers };
    const entry: IndexedDeadLetter = { letter, partition: record.partition, offset: record.offset, topic: record.topic, value: record.value, valueBytes: record.value?.length ?? 0 };
    this.byConnector.get(connector)?.set(id, entry);
    this.order.push(entry);
    this.valueBytes += entry.valueBytes;
    while (this.order.length - this.head > this.options.limit) this.evict();
    while (this.valueBytes > this.options.valueBudgetBytes && this.valueHead < this.order.length) this.dropValue();
    if (this.head > 4096 && this.head > this.order.length / 2) this.compact();
  }

  private evict(): void {
    const oldest = this.order[this.head];
    this.head++;
    if (this.valueHead < this.head) {
      this.valueBytes -= oldest.value === undefined ? 0 : oldest.valueBytes;
      this.valueHead = this.head;
    }
    const connector = oldest.letter.connector;
    this.byConnector.get(connector)?.delete(oldest.letter.id);
    this.droppedCount.set(connector, (this.droppedCount.get(connector) ?? 0) + 1);
  }

  private dropValue(): void {
    const entry = this.order[Math.max(this.valueHead, this.head)];
    this.valueHead = Math.max(this.valueHead, this.head) + 1;
    if (entry.value !== undefined) {
      this.valueBytes -= entry.valueBytes;
      entry.value = undefined;
    }
  }

  private compact(): void {
    this.order = this.order.slice(this.head);
    this.valueHead -= this.head;
    this.head = 0;
  }
}
