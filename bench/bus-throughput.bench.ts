/**
 * Produce→consume rate through the local broker: hub/bus (BusProducer + the runtime's
 * BusConsumer: per-key ordering, contiguous manual commits) against bare kafkajs with the same
 * producer settings (idempotent, acks=all, one request in flight, Java-compatible partitioner)
 * and an eachBatch consumer with auto-commit. The ratio is the baseline the connector runtime
 * is held to. (The bare client is built here on purpose: it is the baseline.)
 */
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import { Bus, loadBusConfig, toEventHeaders } from '../hub/bus/index.js';
import { createLogger } from '../hub/log/logger.js';
import { PeakRss, report, round, type Figure } from './support/measure.js';

const { Partitioners } = kafkajs;
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const CHUNK = 1000;
const logger = createLogger('bench', { level: 'warn' });
const config = loadBusConfig();
const bus = new Bus(config, logger, 'bench');
const kafka = new kafkajs.Kafka({ clientId: 'bench-bare', brokers: [...config.brokers], logLevel: kafkajs.logLevel.NOTHING });
const admin = bus.admin();
const run = randomUUID().slice(0, 8);

// ~300 bytes of value and the full CloudEvents header set, like a real event.
const value = Buffer.alloc(300, 7);
const headers = toEventHeaders({ id: randomUUID(), source: 'crm', type: 'crm.order.OrderPlaced', time: new Date().toISOString(), correlationId: 'O-1' });
const keys = Array.from({ length: 512 }, (_, i) => `order-${i}`);

function waitFor(done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (done()) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
}

async function viaBus(topic: string): Promise<number> {
  let consumed = 0;
  const consumer = bus.consumer({
    groupId: `${topic}-g`, topics: [topic], fromBeginning: true, partitionsConcurrently: 3, concurrency: 16, logger,
    handle: async () => {
      consumed += 1;
    },
  });
  await consumer.start();
  const producer = bus.producer();
  await producer.connect();
  const started = performance.now();
  for (let i = 0; i < RECORDS; i += CHUNK) {
    const chunk = [];
    for (let j = i; j < Math.min(RECORDS, i + CHUNK); j++) chunk.push({ topic, key: keys[j % keys.length], value, headers });
    await producer.sendAll(chunk);
  }
  await waitFor(() => consumed >= RECORDS);
  const seconds = (performance.now() - started) / 1000;
  await producer.close();
  await consumer.stop();
  return RECORDS / seconds;
}

async function viaBareKafkajs(topic: string): Promise<number> {
  let consumed = 0;
  const consumer = kafka.consumer({ groupId: `${topic}-g`, heartbeatInterval: 3000 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch }) => {
      consumed += batch.messages.length;
    },
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, retry: { retries: 8 } });
  await producer.connect();
  const started = performance.now();
  for (let i = 0; i < RECORDS; i += CHUNK) {
    const messages = [];
    for (let j = i; j < Math.min(RECORDS, i + CHUNK); j++) messages.push({ key: keys[j % keys.length], value, headers });
    await producer.sendBatch({ topicMessages: [{ topic, messages }], acks: -1 });
  }
  await waitFor(() => consumed >= RECORDS);
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  await consumer.disconnect();
  return RECORDS / seconds;
}

await admin.connect();
const topics = [`bench.${run}.bus`, `bench.${run}.bare`, `bench.${run}.warm`];
await admin.create(topics.map((name) => ({ name, partitions: 6, replicationFactor: 1, configs: {} })));
const rss = new PeakRss();
try {
  await viaBareKafkajs(topics[2]); // warm-up: JIT, connections, group coordinator
  const bare = await viaBareKafkajs(topics[1]);
  const bus = await viaBus(topics[0]);
  const figures: Figure[] = [
    { name: 'hub/bus produce→consume', value: Math.round(bus), unit: 'records/s', note: `${RECORDS} records of 300 B, 6 partitions, chunks of ${CHUNK}` },
    { name: 'bare kafkajs produce→consume', value: Math.round(bare), unit: 'records/s', note: 'same settings' },
    { name: 'ratio hub/bus ÷ bare kafkajs', value: round(bus / bare), unit: '×' },
  ];
  report({ bench: 'bus-throughput', figures, peakRssMb: rss.stopMb() });
} finally {
  await admin.delete(topics);
  await admin.close();
}
