import { randomUUID } from 'node:crypto';
import { uniquePrefix, eventually } from '../../tests/support/isolation.js';
import { createLogger } from '../log/logger.js';
import { loadBusConfig } from './bus-config.js';
import { BusConsumer, type ConsumedRecord } from './bus-consumer.js';
import { BusProducer } from './bus-producer.js';
import { fromEventHeaders, toEventHeaders } from './event-headers.js';
import { createKafka } from './kafka-client.js';
import { TopicAdmin } from './topic-admin.js';

const logger = createLogger('bus-test', { level: 'warn' });
const kafka = createKafka(loadBusConfig(), logger);
const prefix = uniquePrefix('bus');
const topic = `${prefix}orders`;
const admin = new TopicAdmin(kafka);

beforeAll(async () => {
  await admin.connect();
  await admin.create([{ name: topic, partitions: 3, replicationFactor: 1, configs: {} }]);
});

afterAll(async () => {
  await admin.delete([topic]);
  await admin.close();
});

async function consumeAll(groupId: string, expected: number): Promise<ConsumedRecord[]> {
  const received: ConsumedRecord[] = [];
  const consumer = new BusConsumer(kafka, { groupId, topics: [topic], fromBeginning: true }, logger);
  await consumer.start(async (batch) => {
    received.push(...batch.records);
  });
  try {
    await eventually(() => (received.length >= expected ? true : undefined), 30000, `${expected} records`);
    // Give any duplicate or stray record a moment to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    await consumer.stop();
  }
  return received;
}

describe('hub/bus against the real broker', () => {
  it('loses nothing when 2000 sends to few keys are in flight at once (tulios/kafkajs#1005)', async () => {
    const producer = new BusProducer(kafka, logger);
    const ids = Array.from({ length: 2000 }, () => randomUUID());
    // Ten keys on three partitions: many concurrent sends share a partition, which is
    // exactly what makes a bare idempotent kafkajs producer reuse sequence numbers.
    await Promise.all(
      ids.map((id, i) =>
        producer.send({
          topic,
          key: `order-${i % 10}`,
          value: Buffer.from(JSON.stringify({ seq: Math.floor(i / 10) })),
          headers: toEventHeaders({ id, source: 'crm', type: 'crm.order.OrderPlaced', time: new Date().toISOString(), correlationId: `order-${i % 10}` }),
        }),
      ),
    );
    await producer.close();

    const received = await consumeAll(`${prefix}count`, ids.length);
    const receivedIds = received.map((r) => fromEventHeaders(r.headers).id);
    expect(receivedIds).toHaveLength(ids.length);
    expect(new Set(receivedIds)).toEqual(new Set(ids));

    // Per key, records arrive in the order they were sent.
    const perKey = new Map<string, number[]>();
    for (const record of received) {
      const key = record.key!.toString();
      const seqs = perKey.get(key) ?? [];
      seqs.push((JSON.parse(record.value!.toString()) as { seq: number }).seq);
      perKey.set(key, seqs);
    }
    expect(perKey.size).toBe(10);
    for (const seqs of perKey.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('redelivers a batch whose handler failed, and commits only after success', async () => {
    const producer = new BusProducer(kafka, logger);
    const second = `${prefix}retry`;
    await admin.create([{ name: second, partitions: 1, replicationFactor: 1, configs: {} }]);
    await producer.sendAll([1, 2, 3].map((n) => ({ topic: second, key: 'k', value: Buffer.from(String(n)) })));
    await producer.close();

    const seen: string[] = [];
    let failures = 0;
    const consumer = new BusConsumer(kafka, { groupId: `${prefix}retry`, topics: [second], fromBeginning: true }, logger);
    await consumer.start(async (batch) => {
      if (failures === 0) {
        failures++;
        throw new Error('transient handler failure');
      }
      seen.push(...batch.records.map((r) => r.value!.toString()));
    });
    await eventually(() => (seen.length >= 3 ? true : undefined), 30000, 'redelivery');
    await consumer.stop();
    expect(failures).toBe(1);
    expect(seen).toEqual(['1', '2', '3']);

    // A new member of the same group starts after the committed offset: nothing again.
    const again: string[] = [];
    const next = new BusConsumer(kafka, { groupId: `${prefix}retry`, topics: [second], fromBeginning: true }, logger);
    const extra = new BusProducer(kafka, logger);
    await next.start(async (batch) => {
      again.push(...batch.records.map((r) => r.value!.toString()));
    });
    await extra.send({ topic: second, key: 'k', value: Buffer.from('4') });
    await extra.close();
    await eventually(() => (again.length >= 1 ? true : undefined), 30000, 'the new record');
    await next.stop();
    expect(again).toEqual(['4']);
    await admin.delete([second]);
  });
});
