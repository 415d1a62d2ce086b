import type { Kafka } from 'kafkajs';
import type { Logger } from '../log/logger.js';
import { BusAdmin } from './bus-admin.js';
import type { BusConfig } from './bus-config.js';
import { BusConsumer, type BusConsumerOptions, type ConsumedRecord } from './bus-consumer.js';
import { BusProducer, type BusProducerOptions } from './bus-producer.js';
import { createKafka } from './kafka-client.js';
import { Leadership, type LeadershipOptions } from './leadership.js';
import { readRecordAt, readTopicToEnd } from './topic-reader.js';
import { TopicTail, type TopicTailOptions } from './topic-tail.js';

/**
 * A process's way onto Kafka: the only holder of a kafkajs client. Producers, consumers, the
 * admin client and topic readers all come from here, so nothing outside `hub/bus` depends on
 * kafkajs (and another client could take its place behind the same interface).
 *
 * @example
 * ```ts
 * const bus = new Bus(loadBusConfig(), logger, 'worker');
 * const producer = bus.producer();
 * await producer.send({ topic: 'crm.order.v1', key: 'O-1', value: bytes, headers });
 * const consumer = bus.consumer({ groupId: 'g', topics: ['crm.order.v1'], handle: async (record) => {}, logger });
 * await consumer.start();
 * ```
 */
export class Bus {
  private readonly kafka: Kafka;

  /** @param clientIdSuffix tells this process's clients apart in the broker's logs, e.g. `worker`. */
  constructor(readonly config: BusConfig, private readonly logger: Logger, clientIdSuffix?: string) {
    this.kafka = createKafka(config, logger, clientIdSuffix);
  }

  /** An idempotent, acks=all producer (see BusProducer). */
  producer(options: BusProducerOptions = {}): BusProducer {
    return new BusProducer(this.kafka, this.logger, options);
  }

  /** A consumer-group member with at-least-once delivery (see BusConsumer). */
  consumer<B = undefined>(options: BusConsumerOptions<B>): BusConsumer<B> {
    return new BusConsumer(this.kafka, options);
  }

  /**
   * Topic and consumer-group administration; `connect()` it first and `close()` it after.
   * `retries: 0` makes a probe fail at once instead of retrying for seconds.
   */
  admin(options: { retries?: number } = {}): BusAdmin {
    return new BusAdmin(this.kafka, options, (broker) => createKafka({ ...this.config, brokers: [broker] }, this.logger, 'metadata-check'));
  }

  /**
   * Takes part in electing one leader among the processes joining `options.groupId` (Kafka's
   * group protocol on a one-partition election topic; see Leadership). `start()` it, `stop()` it.
   */
  leadership(options: LeadershipOptions): Leadership {
    return new Leadership(this.kafka, this.config, options);
  }

  /** Every record of a (small) topic up to the end offsets seen when called, in partition then offset order. */
  readTopicToEnd(topic: string, timeoutMs?: number): Promise<ConsumedRecord[]> {
    return readTopicToEnd(this.kafka, topic, timeoutMs);
  }

  /** The record at `partition`/`offset` of `topic`, or undefined when the partition does not hold that offset (any more). */
  readRecordAt(topic: string, partition: number, offset: string, timeoutMs?: number): Promise<ConsumedRecord | undefined> {
    return readRecordAt(this.kafka, topic, partition, offset, timeoutMs);
  }

  /** Reads topics from their beginning and keeps following them (see TopicTail); `start()` it, `stop()` it. */
  tail(options: TopicTailOptions): TopicTail {
    return new TopicTail(this.kafka, options);
  }
}
