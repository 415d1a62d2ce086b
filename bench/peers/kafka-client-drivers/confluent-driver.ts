/**
 * `@confluentinc/kafka-javascript` (librdkafka in a native addon) through its KafkaJS-shaped
 * API, imported from the cache folder it was built into (bench/peers/kafka-clients.ts); it is
 * no project dependency, so the few parts used are typed here.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { MAX_BATCH, type BenchRecord, type ClientDriver, type RunningConsumer } from './driver.js';

/** A consumed message. */
export interface ConfluentMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

interface OutgoingMessage {
  key: Buffer | string | null;
  value: Buffer | null;
  headers?: ConfluentMessage['headers'];
}

interface ConfluentModule {
  KafkaJS: {
    Kafka: new (config: object) => {
      producer(config: object): { connect(): Promise<void>; send(record: { topic: string; messages: OutgoingMessage[] }): Promise<unknown>; disconnect(): Promise<void> };
      consumer(config: object): {
        connect(): Promise<void>;
        subscribe(options: { topics: string[] }): Promise<void>;
        run(options: { partitionsConsumedConcurrently: number; eachBatch: (payload: { batch: { messages: ConfluentMessage[] } }) => Promise<void> }): Promise<void>;
        disconnect(): Promise<void>;
      };
    };
    logLevel: { NOTHING: number };
  };
  librdkafkaVersion: string;
}

/** The driver of the client installed under `dir` (its node_modules) on `brokers`. */
export function confluentDriver(dir: string, brokers: readonly string[], version: string): ClientDriver<ConfluentMessage> {
  // A CommonJS package with a native addon: required from its own folder.
  const client = createRequire(join(dir, 'package.json'))('@confluentinc/kafka-javascript') as ConfluentModule;
  const kafka = new client.KafkaJS.Kafka({ kafkaJS: { clientId: 'bench-clients-confluent', brokers: [...brokers], logLevel: client.KafkaJS.logLevel.NOTHING } });
  // murmur2_random is librdkafka's Java-compatible partitioner (the default of its KafkaJS API, named here);
  // linger.ms 0: every send is awaited, so a linger would only add its delay to each (the client's MIGRATION.md).
  const producer = kafka.producer({ kafkaJS: { idempotent: true, acks: -1, retry: { retries: 8 } }, partitioner: 'murmur2_random', 'linger.ms': 0 });
  const send = async (topic: string, messages: OutgoingMessage[]) => {
    await producer.send({ topic, messages });
  };
  return {
    label: `@confluentinc/kafka-javascript ${version} (librdkafka ${client.librdkafkaVersion})`,
    connect: () => producer.connect(),
    produce: (topic: string, records: readonly BenchRecord[]) => send(topic, records.map((r) => ({ key: r.key, value: r.value, headers: { ...r.headers } }))),
    forward: (topic: string, messages: readonly ConfluentMessage[]) => send(topic, messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers }))),
    async consume(topic: string, groupId: string, onBatch: (messages: ConfluentMessage[]) => Promise<void>): Promise<RunningConsumer> {
      // js.consumer.max.batch.size: eachBatch hands over 32 messages by default; up to MAX_BATCH as the other clients.
      const consumer = kafka.consumer({ kafkaJS: { groupId, fromBeginning: true }, 'js.consumer.max.batch.size': MAX_BATCH });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({ partitionsConsumedConcurrently: 1, eachBatch: ({ batch }) => onBatch(batch.messages) });
      return { stop: () => consumer.disconnect() };
    },
    close: () => producer.disconnect(),
  };
}
