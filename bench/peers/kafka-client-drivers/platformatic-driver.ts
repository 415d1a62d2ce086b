/**
 * `@platformatic/kafka`, pure JavaScript, imported from the cache folder it was installed into
 * (bench/peers/kafka-clients.ts); it is no project dependency, so the few parts used are
 * typed here.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MAX_BATCH, type BenchRecord, type ClientDriver, type RunningConsumer } from './driver.js';

/** A consumed message (Buffers; the default deserialisers). */
export interface PlatformaticMessage {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly headers: Map<Buffer, Buffer>;
}

interface OutgoingMessage {
  topic: string;
  key: Buffer | string;
  value: Buffer;
  headers: Map<Buffer, Buffer> | Record<string, string>;
}

type PartitionerFunction = (message: OutgoingMessage, key: Buffer | undefined) => number;

interface PlatformaticModule {
  Producer: new (options: object) => { send(options: { messages: OutgoingMessage[] }): Promise<unknown>; close(force?: boolean): Promise<void> };
  Consumer: new (options: object) => {
    consume(options: object): Promise<AsyncIterable<PlatformaticMessage> & { readableLength: number; close(): Promise<void> }>;
    close(force?: boolean): Promise<void>;
  };
  compatibilityPartitioner: PartitionerFunction;
}

/** The driver of the client installed under `dir` (its node_modules) on `brokers`. */
export async function platformaticDriver(dir: string, brokers: readonly string[], version: string): Promise<ClientDriver<PlatformaticMessage>> {
  const url = pathToFileURL(join(dir, 'node_modules', '@platformatic', 'kafka', 'dist', 'index.js')).href;
  const kafka = (await import(url)) as PlatformaticModule;
  const base = { clientId: 'bench-clients-platformatic', bootstrapBrokers: [...brokers] };
  // compatibilityPartitioner: murmur2 & 0x7fffffff, modulo the partition count, like Java's and kafkajs's DefaultPartitioner.
  // Header keys and values go out as given by default (Buffers only); strings are encoded as kafkajs does.
  const header = (data?: Buffer | string) => (typeof data === 'string' ? Buffer.from(data) : data);
  const producer = new kafka.Producer({
    ...base, idempotent: true, acks: -1, partitioner: kafka.compatibilityPartitioner, retries: 8, serializers: { headerKey: header, headerValue: header },
  });
  const send = async (messages: OutgoingMessage[]) => {
    await producer.send({ messages });
  };
  return {
    label: `@platformatic/kafka ${version}`,
    connect: async () => {},
    produce: (topic: string, records: readonly BenchRecord[]) =>
      send(records.map((r) => ({ topic, key: Buffer.from(r.key), value: r.value, headers: { ...r.headers } }))),
    forward: (topic: string, messages: readonly PlatformaticMessage[]) =>
      send(messages.map((m) => ({ topic, key: m.key, value: m.value, headers: m.headers }))),
    async consume(topic: string, groupId: string, onBatch: (messages: PlatformaticMessage[]) => Promise<void>): Promise<RunningConsumer> {
      const consumer = new kafka.Consumer({ ...base, groupId });
      // committed offsets first, the earliest when the group has none: kafkajs's fromBeginning.
      const stream = await consumer.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest', autocommit: true });
      // The client hands over single messages from a stream; batch what is buffered, up to MAX_BATCH.
      const loop = (async () => {
        let batch: PlatformaticMessage[] = [];
        for await (const message of stream) {
          batch.push(message);
          if (batch.length >= MAX_BATCH || stream.readableLength === 0) {
            await onBatch(batch);
            batch = [];
          }
        }
      })();
      return {
        async stop() {
          await stream.close();
          await loop.catch(() => {}); // the stream's end after close; its error is not the bench's
          await consumer.close(true);
        },
      };
    },
    close: () => producer.close(true),
  };
}
