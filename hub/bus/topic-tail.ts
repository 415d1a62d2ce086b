import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from '../log/logger.js';
import { fetchTopicOffsetsWhenReady } from './bus-admin.js';
import { asAccessDenied } from './bus-errors.js';
import { toConsumedRecord, type ConsumedRecord } from './bus-consumer.js';
import { subscribeWhenKnown } from './subscribe-when-known.js';
import { CONSUMER_RETRY, CONSUMER_SESSION_TIMEOUT_MS, heartbeatIntervalOf } from './recovery-settings.js';

/** What a tail reads and where each record goes. */
export interface TopicTailOptions {
  /** Topics to read from their beginning; they must exist. */
  readonly topics: readonly string[];
  /** Called once per record, in offset order within a partition. An exception is logged and the record skipped. */
  readonly onRecord: (record: ConsumedRecord) => void;
  readonly logger: Logger;
  /** Names the throwaway consumer group, e.g. `admin.dlq`; a random suffix keeps it unique. */
  readonly label: string;
}

/**
 * Reads topics from their beginning and keeps following them, for a process that keeps an index
 * of small topics in memory (the admin API's dead letters and audit trail). `start()` resolves
 * once every record written before it was called has been delivered; later records keep coming
 * until `stop()`.
 *
 * The consumer group is unique per tail and never commits (kafkajs has no manual partition
 * assignment), so every tail reads everything and leaves nothing behind but an empty group.
 * Create one with `bus.tail(options)`.
 *
 * @example
 * ```ts
 * const seen: string[] = [];
 * const tail = bus.tail({ topics: ['switchboard.audit'], label: 'admin.audit', logger, onRecord: (r) => seen.push(r.offset) });
 * await tail.start(); // seen holds every record written so far
 * await tail.stop();
 * ```
 */
export class TopicTail {
  private consumer: Consumer | undefined;
  /** Next offset to deliver, per `topic:partition`. */
  private readonly next = new Map<string, bigint>();

  /** Use `bus.tail(options)`; the kafkajs client stays inside hub/bus. */
  constructor(private readonly kafka: Kafka, private readonly options: TopicTailOptions) {}

  async start(timeoutMs = 60_000): Promise<void> {
    if (this.consumer) throw new Error('TopicTail.start may be called once');
    const { topics, logger } = this.options;
    const ends = new Map<string, bigint>();
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (const topic of topics) {
        for (const offsets of await fetchTopicOffsetsWhenReady(admin, topic)) {
          if (BigInt(offsets.high) > BigInt(offsets.low)) ends.set(`${topic}:${offsets.partition}`, BigInt(offsets.high));
        }
      }
    } catch (error) {
      throw asAccessDenied(error, `reading the offsets of ${topics.join(', ')}`);
    } finally {
      await admin.disconnect();
    }
    const caughtUp = () => [...ends].every(([where, end]) => (this.next.get(where) ?? 0n) >= end);

    const consumer = this.kafka.consumer({
      groupId: `switchboard.tail.${this.options.label}.${randomUUID()}`,
      allowAutoTopicCreation: false,
      sessionTimeout: CONSUMER_SESSION_TIMEOUT_MS,
      heartbeatInterval: heartbeatIntervalOf(CONSUMER_SESSION_TIMEOUT_MS),
      retry: { ...CONSUMER_RETRY },
      maxWaitTimeInMs: 500,
      // An index reads small records; small fetches keep the memory of a catch-up bounded.
      maxBytesPerPartition: 256 * 1024,
      maxBytes: 1024 * 1024,
    });
    this.consumer = consumer;
    let ready: () => void = () => undefined;
    let failed: (error: unknown) => void = () => undefined;
    const whenReady = new Promise<void>((resolve, reject) => {
      ready = resolve;
      failed = reject;
    });
    if (caughtUp()) ready();
    // A fetch of transaction markers only never reaches eachBatch; its last offset still counts.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      this.advance(`${payload.topic}:${payload.partition}`, BigInt(payload.lastOffset) + 1n);
      if (caughtUp()) ready();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      logger.error({ err: payload.error, topics }, 'topic tail stopped');
      failed(payload.error);
    });
    try {
      await consumer.connect();
      await subscribeWhenKnown(consumer, topics, true);
    } catch (error) {
      throw asAccessDenied(error, `tail of ${topics.join(', ')}`);
    }
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }) => {
        const where = `${batch.topic}:${batch.partition}`;
        for (const message of batch.messages) {
          try {
            this.options.onRecord(toConsumedRecord(batch.topic, batch.partition, message));
          } catch (error) {
            logger.error({ err: error, topic: batch.topic, partition: batch.partition, offset: message.offset }, 'topic tail listener failed; record skipped');
          }
          this.advance(where, BigInt(message.offset) + 1n);
        }
        this.advance(where, BigInt(batch.lastOffset()) + 1n);
        if (caughtUp()) ready();
        await heartbeat();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`reading ${topics.join(', ')} did not reach the end within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([whenReady, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }

  private advance(where: string, next: bigint): void {
    if ((this.next.get(where) ?? 0n) < next) this.next.set(where, next);
  }
}
