/**
 * What bench/kafka-clients.bench.ts asks of each Kafka client: the same four operations, so
 * the three clients do the same work with the same records and settings where they exist
 * (idempotent producer, acks=all, Java-compatible murmur2 partitioning of the keys, one
 * produce request awaited at a time; a new consumer group reading from the start, one batch
 * handled at a time, offsets auto-committed).
 */

/** One record the bench produces: ~300 B of value and the CloudEvents header set. */
export interface BenchRecord {
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/** A started consumer; `stop` leaves the group and disconnects. */
export interface RunningConsumer {
  stop(): Promise<void>;
}

/** One client under test; `M` is the client's own consumed-message type. */
export interface ClientDriver<M> {
  /** Package and version, e.g. `kafkajs 2.2.4`. */
  readonly label: string;
  /** Connects the producer. */
  connect(): Promise<void>;
  /** Produces `records` to `topic` in one call and resolves once all are acknowledged. */
  produce(topic: string, records: readonly BenchRecord[]): Promise<void>;
  /** Produces consumed messages to `topic` with their key, value and headers as received. */
  forward(topic: string, messages: readonly M[]): Promise<void>;
  /** Joins `groupId` on `topic` from the beginning; hands over batches one at a time, awaiting each. */
  consume(topic: string, groupId: string, onBatch: (messages: M[]) => Promise<void>): Promise<RunningConsumer>;
  /** Disconnects the producer. */
  close(): Promise<void>;
}

/** Records a consumer batches together at most, where the client leaves it to us. */
export const MAX_BATCH = 1000;
