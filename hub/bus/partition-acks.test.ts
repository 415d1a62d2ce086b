import kafkajs, { type PartitionMetadata, type RecordMetadata } from 'kafkajs';
import { PublishError } from './bus-errors.js';
import { PartitionAcks } from './partition-acks.js';

const partitionMetadata = [0, 1, 2].map((partitionId): PartitionMetadata => ({ partitionErrorCode: 0, partitionId, leader: 1, replicas: [1], isr: [1] }));
const ack = (topicName: string, partition: number): RecordMetadata => ({ topicName, partition, errorCode: 0, baseOffset: '0' });

/** What kafkajs does in a produce: route each record with the producer's partitioner, then answer. */
function producing(acks: PartitionAcks, topic: string, keys: readonly string[], answer: (routed: number[]) => RecordMetadata[]) {
  const route = acks.createPartitioner();
  return acks.produce(async () => answer(keys.map((key) => route({ topic, partitionMetadata, message: { key, value: null } }))));
}

describe('PartitionAcks', () => {
  it('passes a produce every routed partition acknowledged, and fails one whose partition is missing from the answer', async () => {
    const acks = new PartitionAcks();
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const all = await producing(acks, 't', keys, (routed) => [...new Set(routed)].map((p) => ack('t', p)));
    expect(new Set(all.map((m) => m.partition)).size).toBeGreaterThan(1);

    let skipped = -1;
    const failed = producing(acks, 't', keys, (routed) => {
      skipped = routed[0];
      return [...new Set(routed)].filter((p) => p !== skipped).map((p) => ack('t', p));
    });
    await expect(failed).rejects.toBeInstanceOf(PublishError);
    await expect(failed).rejects.toThrow(`t:${skipped}`);
  });

  it('routes like kafkajs\'s default (murmur2) partitioner', () => {
    const route = new PartitionAcks().createPartitioner();
    const reference = kafkajs.Partitioners.DefaultPartitioner();
    for (const key of ['O-1', 'O-2', 'C-77', 'SKU-CHAIR-01']) {
      expect(route({ topic: 't', partitionMetadata, message: { key, value: null } })).toBe(reference({ topic: 't', partitionMetadata, message: { key, value: null } }));
    }
  });

  it('forgets what a produce routed once it settles, also when it failed', async () => {
    const acks = new PartitionAcks();
    await expect(acks.produce(async () => {
      acks.createPartitioner()({ topic: 't', partitionMetadata, message: { key: 'a', value: null } });
      throw new Error('broker gone');
    })).rejects.toThrow('broker gone');
    // The next produce routes nothing and gets no answer: nothing left over from the failed one.
    await expect(acks.produce(async () => [])).resolves.toEqual([]);
  });
});
