/**
 * kafkajs, bare, as bench/bus-throughput.bench.ts's baseline uses it: the default client of
 * the project (behind hub/bus); the bench measures the other clients against it.
 */
import kafkajs, { type KafkaMessage } from 'kafkajs';
import type { BenchRecord, ClientDriver, RunningConsumer } from './driver.js';

const { Partitioners } = kafkajs;

/** The kafkajs driver on `brokers`. */
export function kafkajsDriver(brokers: readonly string[], version: string): ClientDriver<KafkaMessage> {
  const kafka = new kafkajs.Kafka({ clientId: 'bench-clients-kafkajs', brokers: [...brokers], logLevel: kafkajs.logLevel.NOTHING });
  // maxInFlightRequests: 1 as BusProducer (tulios/kafkajs#1005); DefaultPartitioner is Java-compatible murmur2.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, retry: { retries: 8 } });
  return {
    label: `kafkajs ${version}`,
    connect: () => producer.connect(),
    async produce(topic: string, records: readonly BenchRecord[]): Promise<void> {
      await producer.sendBatch({ topicMessages: [{ topic, messages: records.map((r) => ({ key: r.key, value: r.value, headers: { ...r.headers } })) }], acks: -1 });
    },
    async forward(topic: string, messages: readonly KafkaMessage[]): Promise<void> {
      await producer.sendBatch({ topicMessages: [{ topic, messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })) }], acks: -1 });
    },
    async consume(topic: string, groupId: string, onBatch: (messages: KafkaMessage[]) => Promise<void>): Promise<RunningConsumer> {
      const consumer = kafka.consumer({ groupId, heartbeatInterval: 3000 });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ partitionsConsumedConcurrently: 1, eachBatch: ({ batch }) => onBatch(batch.messages) });
      return { stop: () => consumer.disconnect() };
    },
    close: () => producer.disconnect(),
  };
}
