import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '../log/logger.js';
import { ConsumerStoppingError, asAccessDenied } from './bus-errors.js';
import { KeyedScheduler } from './keyed-scheduler.js';
import { OffsetTracker } from './offset-tracker.js';
import { CONSUMER_HEARTBEAT_INTERVAL_MS, CONSUMER_RETRY, CONSUMER_SESSION_TIMEOUT_MS } from './recovery-settings.js';

/** One record as a handler sees it: headers already decoded to strings. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are 64-bit; kept as the decimal string kafkajs gives. */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Broker or producer timestamp, epoch milliseconds. */
  readonly timestamp: number;
}

export interface BusConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Records of different keys handled at once, per partition. Default 1 (strictly in order). */
  readonly concurrency?: number;
  /** Partitions handled at once. Default 1. */
  readonly partitionsConcurrently?: number;
  /** Where a group without committed offsets starts; default the end (new records only). */
  readonly fromBeginning?: boolean;
  /**
   * Settles one record. Its offset counts as done when the promise resolves; a rejection
   * leaves it uncommitted, so it is delivered again. Reject with ConsumerStoppingError (or
   * anything once `signal` aborted) when giving up because the consumer stops.
   */
  readonly handle: (record: ConsumedRecord, signal: AbortSignal) => Promise<void>;
  readonly logger: Logger;
  /** How soon a silent member's partitions move to another. Default 6000 ms (CONSUMER_SESSION_TIMEOUT_MS). */
  readonly sessionTimeoutMs?: number;
  /** Called once `handle` of a record is over and its offset recorded (or its handling failed): the runtime's watchdog lets go of it. */
  readonly released?: (record: ConsumedRecord) => void;
  /** The consumer stopped for good after an error kafkajs does not restart from (an ACL refusal, ...). */
  readonly failed?: (error: unknown) => void;
}

/** How often offsets of a long batch are committed while it runs. */
const COMMIT_INTERVAL_MS = 1000;

/**
 * A consumer-group member with at-least-once delivery and manual offsets:
 *
 * - Within a partition, records of the same key are handled one after another and records
 *   of different keys in parallel (KeyedScheduler), up to `concurrency`.
 * - The committed offset only advances over a contiguous prefix of handled records
 *   (OffsetTracker): a slow record holds the commit back, never the other way round.
 * - `stop()` stops fetching, lets started records finish, commits and leaves the group.
 *   `crash()` simulates a dead process: nothing more is committed, started records are
 *   abandoned, and the group is left so the partitions move on.
 * - A rebalance noticed while a batch runs (heartbeat refused) winds the batch down the same
 *   way as `stop()`; the records not handled are fetched again by whoever owns the partition.
 *
 * Create one with `bus.consumer(options)`.
 *
 * @example
 * ```ts
 * const consumer = bus.consumer({ groupId: 'g', topics: ['crm.order.v1'], fromBeginning: true, logger,
 *   handle: async (record) => console.log(record.key?.toString(), record.offset) });
 * await consumer.start();
 * await consumer.stop();
 * ```
 */
export class BusConsumer {
  private readonly consumer: Consumer;
  private readonly stopping = new AbortController();
  private crashed = false;
  private running = false;
  /** Partitions assigned to this member, by topic. */
  assignment: Record<string, number[]> = {};

  /** Use `bus.consumer(options)`; the kafkajs client stays inside hub/bus. */
  constructor(kafka: Kafka, private readonly options: BusConsumerOptions) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? CONSUMER_SESSION_TIMEOUT_MS,
      heartbeatInterval: CONSUMER_HEARTBEAT_INTERVAL_MS,
      maxWaitTimeInMs: 1000,
      // A process may run many consumers (a worker runs two per connector): small fetches bound
      // the records held in memory per batch when a backlog builds (kafkajs defaults: 1 MB / 10 MB).
      maxBytesPerPartition: 256 * 1024,
      maxBytes: 2 * 1024 * 1024,
      allowAutoTopicCreation: false,
      retry: { ...CONSUMER_RETRY },
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.assignment = Object.fromEntries(Object.entries(payload.memberAssignment).map(([topic, partitions]) => [topic, [...partitions].sort((a, b) => a - b)]));
      options.logger.debug({ group: options.groupId, member: payload.memberId, joinMs: payload.duration, assignment: this.assignment }, 'joined the group');
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      options.logger.error({ err: payload.error, group: options.groupId }, 'consumer stopped after an error');
      options.failed?.(asAccessDenied(payload.error, `group ${options.groupId} reading ${options.topics.join(', ')}`));
    });
  }

  get groupId(): string {
    return this.options.groupId;
  }

  /** Joins the group and starts handing records to `handle`; rejects with BusAccessDeniedError when Kafka refuses the principal. */
  async start(): Promise<void> {
    try {
      await this.consumer.connect();
      await this.subscribe();
    } catch (error) {
      throw asAccessDenied(error, `group ${this.options.groupId} reading ${this.options.topics.join(', ')}`);
    }
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 1,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /**
   * Subscribes, retrying for a while when a broker does not know a topic yet: on a cluster, a
   * broker may lag a moment behind the controllers after a topic is created (see
   * BusAdmin.waitOnEveryBroker), and kafkajs gives up on that answer at once. A topic that really
   * does not exist still fails, after the deadline.
   */
  private async subscribe(deadlineMs = 15_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
      try {
        await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? false });
        return;
      } catch (error) {
        if ((error as { type?: unknown }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || Date.now() + delay > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Stops fetching; kafkajs keeps the batches in progress, which finish first. */
  pause(): void {
    this.consumer.pause(this.options.topics.map((topic) => ({ topic })));
  }

  resume(): void {
    this.consumer.resume(this.options.topics.map((topic) => ({ topic })));
  }

  /** Graceful: stop fetching, finish started records, commit, leave the group. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    // Abort only what waits (backoff sleeps, parked records not yet due); started effects finish.
    this.stopping.abort();
    await this.consumer.disconnect();
  }

  /** Simulates a crash: commits nothing more, abandons started records, leaves the group. */
  async crash(): Promise<void> {
    this.crashed = true;
    await this.stop();
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0) return;
    const batchAbort = new AbortController();
    const onStop = () => batchAbort.abort();
    this.stopping.signal.addEventListener('abort', onStop, { once: true });
    const signal = batchAbort.signal;
    const tracker = new OffsetTracker(batch.messages.map((m) => m.offset));
    const scheduler = new KeyedScheduler(this.options.concurrency ?? 1, () => !signal.aborted && payload.isRunning());
    let committed: string | undefined;
    let lastCommitAt = Date.now();

    const commit = async (force: boolean) => {
      const offset = tracker.committable();
      if (this.crashed || offset === undefined || offset === committed) return;
      if (!force && Date.now() - lastCommitAt < COMMIT_INTERVAL_MS) return;
      lastCommitAt = Date.now();
      payload.resolveOffset(tracker.lastContiguous() as string);
      try {
        await payload.commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset }] }] });
        committed = offset;
      } catch (error) {
        // A rebalance took the partition; its new owner redoes what we could not commit (idempotently).
        this.options.logger.debug({ err: error, topic: batch.topic, partition: batch.partition }, 'commit refused');
      }
    };

    const heartbeat = setInterval(() => {
      payload.heartbeat().catch((error: unknown) => {
        this.options.logger.debug({ err: error }, 'heartbeat refused; winding the batch down');
        batchAbort.abort();
      });
    }, CONSUMER_HEARTBEAT_INTERVAL_MS);

    try {
      for (const message of batch.messages) {
        const record = toConsumedRecord(batch.topic, batch.partition, message);
        const key = record.key?.toString('utf8') ?? '';
        scheduler
          .run(key, async () => {
            if (this.crashed) throw new ConsumerStoppingError();
            try {
              await this.options.handle(record, signal);
              if (this.crashed) return;
              tracker.complete(record.offset);
              await commit(false);
            } finally {
              this.options.released?.(record);
            }
          })
          .catch((error: unknown) => {
            if (!(error instanceof ConsumerStoppingError) && !signal.aborted) {
              this.options.logger.error({ err: error, topic: record.topic, partition: record.partition, offset: record.offset }, 'record handling failed; it will be redelivered');
            }
          });
      }
      await scheduler.idle();
      // The batch's last commit: if it is refused (the coordinator moving after a broker restart)
      // and no record follows on this partition, nothing else would ever commit these offsets and
      // the lag would stay although the work is done. Try a few times while the partition is ours.
      await commit(true);
      for (let retry = 1; retry <= 4 && committed !== tracker.committable() && !this.crashed && payload.isRunning() && !payload.isStale(); retry++) {
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** retry));
        await commit(true);
      }
      // A record that failed outside the runtime's classification (Redis unreachable, ...) is
      // fetched again from the first unresolved offset; pause briefly so that is not a hot loop.
      if (!tracker.allDone && !signal.aborted) await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      clearInterval(heartbeat);
      this.stopping.signal.removeEventListener('abort', onStop);
    }
  }
}

/** Converts kafkajs's message into a ConsumedRecord, decoding headers once. */
export function toConsumedRecord(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: decodeHeaders(message.headers),
    timestamp: Number(message.timestamp),
  };
}

/** kafkajs gives header values as Buffers (or arrays of them); handlers want strings. */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string | undefined> {
  const decoded: Record<string, string | undefined> = {};
  if (!headers) return decoded;
  for (const name in headers) {
    const value = headers[name];
    const single = Array.isArray(value) ? value[value.length - 1] : value;
    decoded[name] = single === undefined ? undefined : single.toString();
  }
  return decoded;
}
