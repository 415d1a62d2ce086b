import { CompressionTypes, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import type { Logger } from '../log/logger.js';
import { BusAccessDeniedError, ProducerClosedError, PublishError, asAccessDenied } from './bus-errors.js';
import { PartitionAcks } from './partition-acks.js';
import { PRODUCER_RETRY } from './recovery-settings.js';

/** One record to publish. */
export interface OutgoingRecord {
  readonly topic: string;
  /** The aggregate id; records with the same key land on the same partition, in order. */
  readonly key: string | null;
  /** `null` is a tombstone (compacted topics). */
  readonly value: Buffer | null;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface BusProducerOptions {
  /** Upper bound of records in one produce request; more wait for the next round. */
  readonly maxBatchRecords?: number;
  readonly compression?: 'none' | 'gzip';
}

/** One caller's records (a single `send` or a whole `sendAll`) and its promise. */
interface Pending {
  readonly records: readonly OutgoingRecord[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * An idempotent, acks=all producer that never has more than one produce request in flight.
 *
 * Why: kafkajs's idempotent producer assigns sequence numbers when a request is built and
 * only advances them when it is acknowledged, so two concurrent `send()` calls to one
 * partition reuse a sequence number and the broker silently drops one as a duplicate
 * (tulios/kafkajs#1005). Here every `send()` joins a queue; one drain loop turns whatever
 * has queued into a single `sendBatch`, waits for its acknowledgement and repeats. Under
 * load that is group commit — batches grow by themselves — and when idle a record goes out
 * at once, with no linger delay: the drain starts after the current microtasks (process.nextTick),
 * so the sends of every event settling in the same turn share the first request too (a
 * connector's events tend to settle in bursts; kafkajs's cost per request, not per record,
 * was the largest part of producing in the connector bench's profile).
 */
export class BusProducer {
  private producer: Producer;
  private readonly maxBatchRecords: number;
  private readonly compression: CompressionTypes;
  /** Fails a produce that kafkajs acknowledged without writing every partition (see PartitionAcks). */
  private readonly acks = new PartitionAcks();
  private queue: Pending[] = [];
  private queuedRecords = 0;
  private draining = false;
  /** A drain is due after the current microtasks. */
  private scheduled = false;
  private closed = false;
  private connected: Promise<void> | undefined;

  constructor(private readonly kafka: Kafka, private readonly logger: Logger, options: BusProducerOptions = {}) {
    this.maxBatchRecords = options.maxBatchRecords ?? 1000;
    this.compression = options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    this.producer = this.newProducer();
  }

  private newProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Java-compatible murmur2 partitioning, so keys land where any other client puts them.
      createPartitioner: this.acks.createPartitioner,
      retry: { ...PRODUCER_RETRY },
    });
  }

  /**
   * Replaces the kafkajs producer after a failed produce. Why: kafkajs rewinds the sequence
   * numbers of every partition of a failed request, also of partitions the broker wrote (the
   * request failed on another partition, or timed out after the leader appended, as when a
   * cluster loses two of three brokers). The next records of such a partition would reuse a
   * written sequence number, and the broker acknowledges them as duplicates without writing
   * them: silently lost. A new producer gets a new producer id, whose sequences start afresh;
   * what the failed request may have written is sent again by its callers (at least once).
   */
  private replaceProducer(): void {
    const failed = this.producer;
    this.producer = this.newProducer();
    this.connected = undefined;
    void failed.disconnect().catch((error: unknown) => this.logger.debug({ err: error }, 'could not disconnect a replaced producer'));
  }

  /** Connects to the cluster; called implicitly by the first send. */
  connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = undefined; // let the next call try again
      throw new PublishError('could not connect the producer to Kafka', error);
    });
    return this.connected;
  }

  /** Publishes one record; resolves once the broker has acknowledged it (acks=all). */
  send(record: OutgoingRecord): Promise<void> {
    return this.sendAll([record]);
  }

  /** Publishes records in the order given; resolves once all are acknowledged. */
  sendAll(records: readonly OutgoingRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new ProducerClosedError());
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.queuedRecords += records.length;
      if (!this.draining && !this.scheduled) {
        this.scheduled = true;
        process.nextTick(() => {
          this.scheduled = false;
          if (!this.draining) void this.drain();
        });
      }
    });
  }

  /** Waits for queued records, then disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.draining || this.scheduled || this.queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
    if (this.connected) await this.producer.disconnect();
    this.connected = undefined;
  }

  /** Takes whole sends from the queue until the batch would pass maxBatchRecords (at least one send). */
  private takeBatch(): Pending[] {
    if (this.queuedRecords <= this.maxBatchRecords) {
      const all = this.queue;
      this.queue = [];
      this.queuedRecords = 0;
      return all;
    }
    let count = 0;
    let taken = 0;
    while (taken < this.queue.length && (taken === 0 || count + this.queue[taken].records.length <= this.maxBatchRecords)) {
      count += this.queue[taken].records.length;
      taken++;
    }
    this.queuedRecords -= count;
    return this.queue.splice(0, taken);
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        try {
          await this.connect();
          const producer = this.producer;
          await this.acks.produce(() => producer.sendBatch({ topicMessages: groupByTopic(batch), acks: -1, compression: this.compression }));
          for (const pending of batch) pending.resolve();
        } catch (error) {
          const denied = asAccessDenied(error, `a produce to ${[...new Set(batch.flatMap((p) => p.records.map((r) => r.topic)))].join(', ')}`);
          const failure = denied instanceof BusAccessDeniedError || denied instanceof PublishError ? denied : new PublishError(`produce of ${batch.length} send(s) failed`, error);
          this.logger.warn({ err: failure, sends: batch.length }, 'produce failed');
          this.replaceProducer();
          for (const pending of batch) pending.reject(failure);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}

/** Groups records by topic, keeping their order within each topic. */
function groupByTopic(batch: readonly Pending[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const { records } of batch) {
    for (const record of records) {
      let messages = byTopic.get(record.topic);
      if (!messages) byTopic.set(record.topic, (messages = []));
      messages.push({ key: record.key, value: record.value, headers: record.headers && headerBytes(record.headers) });
    }
  }
  const topicMessages: TopicMessages[] = [];
  for (const [topic, messages] of byTopic) topicMessages.push({ topic, messages });
  return topicMessages;
}

/** Headers whose values repeat from event to event (one per event type or source): their bytes are kept. */
const REPEATING = new Set(['ce_specversion', 'ce_source', 'ce_type', 'content-type']);
const repeatingBytes = new Map<string, Buffer>();

/**
 * Header values as bytes. kafkajs encodes a string value through a slower path than a Buffer
 * (measured: twice the CPU per record for our nine CloudEvents headers), and the values that
 * repeat are encoded once and reused.
 */
function headerBytes(headers: Readonly<Record<string, string>>): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const name in headers) {
    const value = headers[name];
    if (REPEATING.has(name)) {
      let bytes = repeatingBytes.get(value);
      if (!bytes) {
        // Bounded: a flood of distinct values (a misbehaving producer) must not grow it for ever.
        if (repeatingBytes.size >= 1024) repeatingBytes.clear();
        repeatingBytes.set(value, (bytes = Buffer.from(value)));
      }
      out[name] = bytes;
    } else {
      out[name] = Buffer.from(value);
    }
  }
  return out;
}
