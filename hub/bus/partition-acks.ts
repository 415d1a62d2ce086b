import { Partitioners, type ICustomPartitioner, type RecordMetadata } from 'kafkajs';
import { PublishError } from './bus-errors.js';

/**
 * Checks that a kafkajs produce was acknowledged by every partition it routed records to, and
 * fails it when one was left out.
 *
 * Why: kafkajs 2.2.4 retries a produce only to brokers that have not answered yet
 * (`producer/sendMessages.js` keeps one response per broker). When a broker dies or loses a
 * leadership mid-request, its partitions move to another broker; if that broker already answered
 * for its own partitions, the retry skips it, so the moved partitions' records are never sent, and
 * `send` resolves as if they were written (tulios/kafkajs#1303). Found by the chaos suite: one
 * broker of three killed, two orders confirmed by the ERP whose events never reached the topic.
 * The producer reports a partition it could not write as a failure instead, and its callers send
 * again (at least once; every consumer deduplicates on `ce_id`).
 *
 * One guard belongs to one producer and watches one produce at a time (our producers never have
 * two in flight): the partitioner notes each record's partition while kafkajs routes the produce.
 *
 * @example
 * ```ts
 * const acks = new PartitionAcks();
 * const producer = kafka.producer({ idempotent: true, createPartitioner: acks.createPartitioner });
 * await acks.produce(() => producer.sendBatch({ topicMessages, acks: -1 })); // throws PublishError when a partition was skipped
 * ```
 */
export class PartitionAcks {
  /** `topic:partition` of every record the produce in progress routed, or undefined between produces. */
  private routed: Set<string> | undefined;

  /** Java-compatible murmur2 partitioning (kafkajs's DefaultPartitioner), noting where each record goes. */
  readonly createPartitioner: ICustomPartitioner = () => {
    const partitioner = Partitioners.DefaultPartitioner();
    return (args) => {
      const partition = partitioner(args);
      this.routed?.add(`${args.topic}:${partition}`);
      return partition;
    };
  };

  /** Runs one produce; rejects with PublishError when a partition it routed records to is missing from the acknowledgement. */
  async produce(send: () => Promise<RecordMetadata[]>): Promise<RecordMetadata[]> {
    const routed = new Set<string>();
    this.routed = routed;
    try {
      const metadata = await send();
      const acknowledged = new Set(metadata.map((entry) => `${entry.topicName}:${entry.partition}`));
      const skipped = [...routed].filter((partition) => !acknowledged.has(partition));
      if (skipped.length > 0) {
        throw new PublishError(`kafkajs acknowledged a produce without writing to ${skipped.join(', ')} (its leader moved during a retry); it will be sent again`, undefined);
      }
      return metadata;
    } finally {
      this.routed = undefined;
    }
  }
}
