import type { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '../log/logger.js';

/** One record as a handler sees it: headers already decoded to strings. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are 64-bit; kept as the decimal string kafkajs gives. */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Broker or producer timestamp, epoch milliseconds. */
  readonly timestamp: number;
}

/** The records of one partition fetched together, in offset order. */
export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly ConsumedRecord[];
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
}

export interface BusConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group with no committed offset starts; default: the end (new records only). */
  readonly fromBeginning?: boolean;
  /** Partitions handled at once; records of one partition are always handled in order. */
  readonly partitionsConsumedConcurrently?: number;
  readonly sessionTimeoutMs?: number;
}

/**
 * A consumer-group member with at-least-once delivery: a batch's offsets are committed
 * only after its handler resolves. A handler that throws gets the same records again.
 */
export class BusConsumer {
  private readonly consumer: Consumer;

  constructor(kafka: Kafka, private readonly options: BusConsumerOptions, private readonly logger: Logger) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30000,
      heartbeatInterval: 3000,
      retry: { retries: 10 },
    });
  }

  /** Joins the group and starts handing batches to `handler`; resolves once running. */
  async start(handler: (batch: ConsumedBatch) => Promise<void>): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? false });
    await this.consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: async ({ batch, heartbeat }) => {
        const records = batch.messages.map((message) => toConsumedRecord(batch.topic, batch.partition, message));
        await handler({ topic: batch.topic, partition: batch.partition, records, heartbeat });
      },
    });
  }

  /** Leaves the group after in-flight batches finish and their offsets are committed. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
    this.logger.debug({ group: this.options.groupId }, 'consumer stopped');
  }
}

/** Converts kafkajs's message into a ConsumedRecord, decoding headers once. */
export function toConsumedRecord(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: decodeHeaders(message.headers),
    timestamp: Number(message.timestamp),
  };
}

/** kafkajs gives header values as Buffers (or arrays of them); handlers want strings. */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string | undefined> {
  const decoded: Record<string, string | undefined> = {};
  if (!headers) return decoded;
  for (const name in headers) {
    const value = headers[name];
    const single = Array.isArray(value) ? value[value.length - 1] : value;
    decoded[name] = single === undefined ? undefined : single.toString();
  }
  return decoded;
}
