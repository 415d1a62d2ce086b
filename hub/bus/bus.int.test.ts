import { randomUUID } from 'node:crypto';
import { uniquePrefix, eventually } from '../../tests/kit/isolation.js';
import { createLogger } from '../log/logger.js';
import { Bus } from './bus.js';
import { loadBusConfig } from './bus-config.js';
import type { ConsumedRecord } from './bus-consumer.js';
import { PublishError } from './bus-errors.js';
import { fromEventHeaders, toEventHeaders } from './event-headers.js';

const logger = createLogger('bus-test', { level: 'warn' });
const bus = new Bus(loadBusConfig(), logger, 'bus-test');
const prefix = uniquePrefix('bus');
const topic = `${prefix}orders`;
const admin = bus.admin();

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
  const consumer = bus.consumer({ groupId, topics: [topic], fromBeginning: true, partitionsConcurrently: 3, logger, handle: async (record) => void received.push(record) });
  await consumer.start();
  try {
    await eventually(() => (received.length >= expected ? true : undefined), 30000, `${expected} records`);
  } finally {
    await consumer.stop();
  }
  return received;
}

/** Records on the broker: end minus start offsets, summed over partitions. */
async function recordsOn(name: string): Promise<number> {
  return (await admin.topicOffsets(name)).reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0);
}

describe('hub/bus against the real broker', () => {
  it('loses nothing when 2000 sends to few keys are in flight at once (tulios/kafkajs#1005)', async () => {
    const producer = bus.producer();
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
    // The broker holds each record once: nothing dropped as a false duplicate, nothing written twice.
    expect(await recordsOn(topic)).toBe(ids.length);

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

  it('loses no record sent after a produce that failed on one partition but was written on another (kafkajs rewinds the sequence numbers of both)', async () => {
    // A real broker condition: one request holds a partition that takes the write and one that
    // refuses it (here a record above the topic's max.message.bytes; in a cluster that lost two of
    // three brokers, fewer in-sync replicas than min.insync.replicas, or a timeout after the
    // leader wrote). kafkajs then rewinds the sequence of BOTH partitions, so the next record of
    // the written one reuses a sequence number and the broker drops it as a duplicate, silently.
    const written = `${prefix}written`;
    const refused = `${prefix}refused`;
    await admin.create([
      { name: written, partitions: 1, replicationFactor: 1, configs: {} },
      { name: refused, partitions: 1, replicationFactor: 1, configs: { 'max.message.bytes': '1024' } },
    ]);
    const producer = bus.producer();
    try {
      await producer.send({ topic: written, key: 'k', value: Buffer.from('first') });
      await expect(producer.sendAll([
        { topic: written, key: 'k', value: Buffer.from('second') },
        { topic: refused, key: 'k', value: Buffer.alloc(4096, 1) },
      ])).rejects.toBeInstanceOf(PublishError);
      await producer.send({ topic: written, key: 'k', value: Buffer.from('third') });
    } finally {
      await producer.close();
    }
    // 'second' landed although its request failed (the callers of a failed send send again:
    // at least once); 'third' must be there too.
    const values = (await bus.readTopicToEnd(written, 30_000)).map((record) => record.value?.toString());
    expect(values).toContain('third');
    expect(values.slice(0, 2)).toEqual(['first', 'second']);
    await admin.delete([written, refused]);
  });

  it('redelivers a record whose handler failed, and commits only after success', async () => {
    const producer = bus.producer();
    const second = `${prefix}retry`;
    await admin.create([{ name: second, partitions: 1, replicationFactor: 1, configs: {} }]);
    await producer.sendAll([1, 2, 3].map((n) => ({ topic: second, key: 'k', value: Buffer.from(String(n)) })));
    await producer.close();

    const seen: string[] = [];
    let failures = 0;
    const consumer = bus.consumer({
      groupId: `${prefix}retry`, topics: [second], fromBeginning: true, logger,
      handle: async (record) => {
        if (failures === 0) {
          failures++;
          throw new Error('transient handler failure');
        }
        seen.push(record.value!.toString());
      },
    });
    await consumer.start();
    await eventually(() => (seen.length >= 3 ? true : undefined), 30000, 'redelivery');
    await consumer.stop();
    expect(failures).toBe(1);
    expect(seen).toEqual(['1', '2', '3']);

    // A new member of the same group starts after the committed offset: nothing again.
    const again: string[] = [];
    const next = bus.consumer({ groupId: `${prefix}retry`, topics: [second], fromBeginning: true, logger, handle: async (record) => void again.push(record.value!.toString()) });
    const extra = bus.producer();
    await next.start();
    await extra.send({ topic: second, key: 'k', value: Buffer.from('4') });
    await extra.close();
    await eventually(() => (again.length >= 1 ? true : undefined), 30000, 'the new record');
    await next.stop();
    expect(again).toEqual(['4']);
    await admin.delete([second]);
  });
});
