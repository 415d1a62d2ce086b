import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { toConsumedRecord, type ConsumedRecord } from './bus-consumer.js';
import { subscribeWhenKnown } from './subscribe-when-known.js';

/**
 * Reads a topic from its start to the end offsets seen when called (for small topics such
 * as a dead-letter topic). Uses a throwaway consumer group that commits nothing, because
 * kafkajs has no manual partition assignment.
 */
export async function readTopicToEnd(kafka: Kafka, topic: string, timeoutMs = 30_000): Promise<ConsumedRecord[]> {
  const offsets = await offsetsOf(kafka, topic, timeoutMs);
  // A topic nobody has written yet (a connector that never dead-lettered) reads as empty.
  if (!offsets) return [];
  const ends = new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]));
  if (ends.size === 0) return [];
  const records: ConsumedRecord[] = [];
  const consumer = kafka.consumer({ groupId: `switchboard.reader.${randomUUID()}`, maxWaitTimeInMs: 200, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await subscribeWhenKnown(consumer, [topic], true);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} did not reach its end within ${timeoutMs} ms`)), timeoutMs);
      const progress = new Map<number, bigint>();
      const check = () => {
        if ([...ends].every(([partition, end]) => (progress.get(partition) ?? 0n) >= end)) {
          clearTimeout(timer);
          resolve();
        }
      };
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const end = ends.get(batch.partition) ?? 0n;
          for (const message of batch.messages) {
            if (BigInt(message.offset) < end) records.push(toConsumedRecord(batch.topic, batch.partition, message));
          }
          progress.set(batch.partition, BigInt(batch.lastOffset()) + 1n);
          check();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

/**
 * The one record at `offset` of `topic`/`partition`, or undefined when the partition no longer
 * (or does not yet) hold that offset. For reading back a record an index dropped from memory;
 * like readTopicToEnd it uses a throwaway consumer group that commits nothing, and seeks.
 */
export async function readRecordAt(kafka: Kafka, topic: string, partition: number, offset: string, timeoutMs = 30_000): Promise<ConsumedRecord | undefined> {
  const bounds = (await offsetsOf(kafka, topic, timeoutMs))?.find((o) => o.partition === partition);
  if (!bounds || BigInt(offset) < BigInt(bounds.low) || BigInt(offset) >= BigInt(bounds.high)) return undefined;
  const consumer = kafka.consumer({ groupId: `switchboard.reader.${randomUUID()}`, maxWaitTimeInMs: 200, allowAutoTopicCreation: false, maxBytesPerPartition: 256 * 1024 });
  await consumer.connect();
  try {
    await subscribeWhenKnown(consumer, [topic], true);
    return await new Promise<ConsumedRecord | undefined>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} ${partition}:${offset} took longer than ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (batch.partition !== partition) return;
          const message = batch.messages.find((m) => m.offset === offset);
          if (message || BigInt(batch.lastOffset()) >= BigInt(offset)) {
            clearTimeout(timer);
            resolve(message ? toConsumedRecord(batch.topic, batch.partition, message) : undefined);
          }
        },
      });
      consumer.seek({ topic, partition, offset });
    });
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Every partition's low and high offset of `topic`, or undefined when the topic does not exist.
 * A retriable refusal (right after a leader moved, a client's metadata may still name the old
 * leader, and kafkajs's admin does not refresh it on that answer) is asked again by a new client,
 * whose metadata is fetched afresh, until `timeoutMs` has passed. Unlike
 * `fetchTopicOffsetsWhenReady`, which retries through the one long-lived admin it is given.
 */
async function offsetsOf(kafka: Kafka, topic: string, timeoutMs: number): Promise<{ partition: number; low: string; high: string }[] | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const admin = kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(topic)) return undefined;
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if ((error as { retriable?: unknown }).retriable !== true || Date.now() > deadline) throw error;
    } finally {
      await admin.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
