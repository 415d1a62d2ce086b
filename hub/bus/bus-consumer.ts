import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '../log/logger.js';
import { BusAccessDeniedError, ConsumerStoppingError, asAccessDenied } from './bus-errors.js';
import { KeyedScheduler } from './keyed-scheduler.js';
import { subscribeWhenKnown } from './subscribe-when-known.js';
import { OffsetTracker } from './offset-tracker.js';
import { CONSUMER_RETRY, CONSUMER_SESSION_TIMEOUT_MS, heartbeatIntervalOf } from './recovery-settings.js';

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

export interface BusConsumerOptions<B = undefined> {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Records of different keys handled at once, per partition. Default 1 (strictly in order). */
  readonly concurrency?: number;
  /** Partitions handled at once. Default 1. */
  readonly partitionsConcurrently?: number;
  /** Where a group without committed offsets starts; default the end (new records only). */
  readonly fromBeginning?: boolean;
  /**
   * Called once per fetched batch (one partition's records) before any of them is handled, e.g.
   * to read what a store knows of all of them in one round trip; what it resolves with is
   * handed to `handle` with each record of the batch. When it rejects, the records are handled
   * with `undefined` instead (the handler then asks per record).
   */
  readonly prepare?: (records: readonly ConsumedRecord[], signal: AbortSignal) => Promise<B>;
  /**
   * Settles one record. Its offset counts as done when the promise resolves; a rejection
   * leaves it uncommitted, so it is delivered again. Reject with ConsumerStoppingError (or
   * anything once `signal` aborted) when giving up because the consumer stops.
   */
  readonly handle: (record: ConsumedRecord, signal: AbortSignal, batch: B | undefined) => Promise<void>;
  readonly logger: Logger;
  /** How soon a silent member's partitions move to another. Default 6000 ms (CONSUMER_SESSION_TIMEOUT_MS). */
  readonly sessionTimeoutMs?: number;
  /**
   * How long the broker holds a fetch while there is nothing to read (a record that arrives
   * is answered at once). Longer means fewer requests while idle, but `stop()` waits for the
   * fetch in flight: with polls as long as the heartbeat interval (2 s), every stop, restart and
   * reset waited longer, and the test suite ran 15 minutes longer. Default 1000 ms.
   */
  readonly maxWaitMs?: number;
  /**
   * Most bytes one fetch brings: per partition, and in all (kafkajs `maxBytesPerPartition` / `maxBytes`).
   * Default 256 KB / 2 MB. Every record of a fetch is a slice of its one response buffer, so a response
   * stays in memory while any of its records is still being handled: a smaller fetch holds less.
   */
  readonly fetchBytes?: { readonly perPartition: number; readonly total: number };
  /** Called once `handle` of a record is over and its offset recorded (or its handling failed): the runtime's watchdog lets go of it. */
  readonly released?: (record: ConsumedRecord) => void;
  /** The consumer stopped for good after an error kafkajs does not restart from (an ACL refusal, ...). */
  readonly failed?: (error: unknown) => void;
}

/** How often a partition's offset is committed at most (while records flow). */
const COMMIT_INTERVAL_MS = 1000;

/** One partition's commits: what was committed when, and an offset waiting for its turn. */
interface PartitionCommits {
  committed?: string;
  lastAt: number;
  pending?: string;
  timer?: NodeJS.Timeout;
  /**
   * The latest batch's commit function: it commits through the consumer group directly, also
   * while the consumer stops (kafkajs's `consumer.commitOffsets` drops commits once stopping).
   */
  send?: EachBatchPayload['commitOffsetsIfNecessary'];
}

/** How often a refused commit is tried again (after 0.5, 1, 2 and 4 s) while the partition is ours. */
const COMMIT_RETRIES = 4;

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
export class BusConsumer<B = undefined> {
  private readonly consumer: Consumer;
  private readonly stopping = new AbortController();
  private crashed = false;
  private running = false;
  /** A restart after a crash kafkajs does not restart from, when one is due. */
  private restartTimer: NodeJS.Timeout | undefined;
  /** Partitions assigned to this member, by topic. */
  assignment: Record<string, number[]> = {};
  /** Commit pacing per `topic:partition` (see commitPaced). */
  private readonly commits = new Map<string, PartitionCommits>();
  private readonly heartbeatIntervalMs: number;

  /** Use `bus.consumer(options)`; the kafkajs client stays inside hub/bus. */
  constructor(kafka: Kafka, private readonly options: BusConsumerOptions<B>) {
    const sessionTimeout = options.sessionTimeoutMs ?? CONSUMER_SESSION_TIMEOUT_MS;
    this.heartbeatIntervalMs = heartbeatIntervalOf(sessionTimeout);
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout,
      heartbeatInterval: this.heartbeatIntervalMs,
      maxWaitTimeInMs: options.maxWaitMs ?? 1000,
      // A process may run many consumers (a worker runs two per connector): small fetches bound
      // the records held in memory per batch when a backlog builds (kafkajs defaults: 1 MB / 10 MB).
      maxBytesPerPartition: options.fetchBytes?.perPartition ?? 256 * 1024,
      maxBytes: options.fetchBytes?.total ?? 2 * 1024 * 1024,
      allowAutoTopicCreation: false,
      retry: { ...CONSUMER_RETRY },
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.assignment = Object.fromEntries(Object.entries(payload.memberAssignment).map(([topic, partitions]) => [topic, [...partitions].sort((a, b) => a - b)]));
      options.logger.debug({ group: options.groupId, member: payload.memberId, joinMs: payload.duration, assignment: this.assignment }, 'joined the group');
      this.forgetRevokedCommits();
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      const error = asAccessDenied(payload.error, `group ${options.groupId} reading ${options.topics.join(', ')}`);
      if (error instanceof BusAccessDeniedError || !this.running || this.crashed) {
        options.logger.error({ err: payload.error, group: options.groupId }, 'consumer stopped after an error');
        options.failed?.(error);
        return;
      }
      // kafkajs gives up for good on errors it calls non-retriable, also on ones a broker outage
      // causes (no group coordinator found while the broker restarts): the connector would stop
      // consuming for ever, its events neither delivered nor stalled. Only a refusal is final.
      options.logger.error({ err: payload.error, group: options.groupId }, 'consumer stopped after an error kafkajs does not restart from; restarting it');
      this.restartLater(1000);
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
    await this.run();
  }

  private run(): Promise<void> {
    return this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 1,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /** Connects, subscribes and runs again after `delayMs` (doubling to 5 s while that fails), unless stopped meanwhile. */
  private restartLater(delayMs: number): void {
    if (this.restartTimer) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.running || this.crashed) return;
      void (async () => {
        try {
          await this.consumer.connect();
          await this.subscribe();
          await this.run();
          this.options.logger.info({ group: this.options.groupId }, 'consumer restarted');
        } catch (error) {
          this.options.logger.warn({ err: error, group: this.options.groupId }, 'could not restart the consumer; trying again');
          this.restartLater(Math.min(delayMs * 2, 5000));
        }
      })();
    }, delayMs);
  }

  /**
   * Subscribes, retrying for a while when a broker does not know a topic yet: on a cluster, a
   * broker may lag a moment behind the controllers after a topic is created (see
   * BusAdmin.waitOnEveryBroker), and kafkajs gives up on that answer at once. A topic that really
   * does not exist still fails, after the deadline.
   */
  private async subscribe(): Promise<void> {
    await subscribeWhenKnown(this.consumer, this.options.topics, this.options.fromBeginning ?? false);
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
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    // Abort only what waits (backoff sleeps, parked records not yet due); started effects finish.
    this.stopping.abort();
    await this.flushCommits();
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
    const records = batch.messages.map((message) => toConsumedRecord(batch.topic, batch.partition, message));
    const tracker = new OffsetTracker(records.map((record) => record.offset));
    const scheduler = new KeyedScheduler(this.options.concurrency ?? 1, () => !signal.aborted && payload.isRunning());
    const partition = `${batch.topic}:${batch.partition}`;
    let pacing = this.commits.get(partition);
    if (!pacing) this.commits.set(partition, (pacing = { lastAt: 0 }));
    const commits = pacing;
    commits.send = payload.commitOffsetsIfNecessary;

    /** Commits the completed prefix now (`force`) or when the partition's interval allows. */
    const commit = async (force: boolean) => {
      if (this.crashed) return;
      const offset = tracker.committable();
      if (offset === undefined || offset === commits.committed) return;
      payload.resolveOffset(tracker.lastContiguous() as string);
      await this.commitPaced(batch.topic, batch.partition, commits, offset, force);
    };

    const heartbeat = setInterval(() => {
      payload.heartbeat().catch((error: unknown) => {
        this.options.logger.debug({ err: error }, 'heartbeat refused; winding the batch down');
        batchAbort.abort();
      });
    }, this.heartbeatIntervalMs);

    const onFailure = (record: ConsumedRecord) => (error: unknown) => {
      if (!(error instanceof ConsumerStoppingError) && !signal.aborted) {
        this.options.logger.error({ err: error, topic: record.topic, partition: record.partition, offset: record.offset }, 'record handling failed; it will be redelivered');
      }
    };

    try {
      const prepared = await this.prepare(records, signal);
      for (let index = 0; index < records.length; index++) {
        const record = records[index];
        scheduler
          .run(record.key?.toString('utf8') ?? '', async () => {
            if (this.crashed) throw new ConsumerStoppingError();
            try {
              await this.options.handle(record, signal, prepared);
              if (this.crashed) return;
              tracker.completeAt(index);
              // Checked here, not in commit(): an async call per record costs a promise for nothing.
              if (Date.now() - commits.lastAt >= COMMIT_INTERVAL_MS) await commit(false);
            } finally {
              this.options.released?.(record);
            }
          })
          .catch(onFailure(record));
      }
      await scheduler.idle();
      // At the end of a batch: now when the interval allows (or the consumer stops), else a
      // timer commits it in time; at a few records a batch, a commit per batch was a request per event.
      // A refused commit is tried again by commitNow while the partition is ours.
      await commit(signal.aborted || !payload.isRunning());
      // A record that failed outside the runtime's classification (Redis unreachable, ...) is
      // fetched again from the first unresolved offset; pause briefly so that is not a hot loop.
      if (!tracker.allDone && !signal.aborted) await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      clearInterval(heartbeat);
      this.stopping.signal.removeEventListener('abort', onStop);
    }
  }

  /**
   * Commits `offset` of a partition, at most once per COMMIT_INTERVAL_MS: at once when the
   * interval has passed (or `force`), else it waits for a timer that commits the latest offset
   * then. Until committed, a crash or rebalance redelivers those records (at least once; they
   * are deduplicated by their idempotency keys).
   */
  private async commitPaced(topic: string, partition: number, commits: PartitionCommits, offset: string, force: boolean): Promise<void> {
    const wait = commits.lastAt + COMMIT_INTERVAL_MS - Date.now();
    if (!force && wait > 0) {
      commits.pending = offset;
      this.commitLater(topic, partition, commits, wait, 0);
      return;
    }
    if (commits.timer) clearTimeout(commits.timer);
    commits.timer = undefined;
    commits.pending = undefined;
    await this.commitNow(topic, partition, commits, offset, 0);
  }

  /** Commits the partition's pending offset after `wait` ms (unless a timer is set already), `attempt` being the retry count. */
  private commitLater(topic: string, partition: number, commits: PartitionCommits, wait: number, attempt: number): void {
    commits.timer ??= setTimeout(() => {
      commits.timer = undefined;
      const due = commits.pending;
      commits.pending = undefined;
      // Not for a partition a rebalance took meanwhile (forgetRevokedCommits dropped its entry).
      if (due !== undefined && !this.crashed && this.commits.get(`${topic}:${partition}`) === commits) void this.commitNow(topic, partition, commits, due, attempt);
    }, wait);
  }

  private async commitNow(topic: string, partition: number, commits: PartitionCommits, offset: string, attempt: number): Promise<void> {
    commits.lastAt = Date.now();
    try {
      await commits.send?.({ topics: [{ topic, partitions: [{ partition, offset }] }] });
      if (commits.committed === undefined || BigInt(offset) > BigInt(commits.committed)) commits.committed = offset;
    } catch (error) {
      // A rebalance took the partition (its new owner redoes what we could not commit,
      // idempotently), or the coordinator is moving after a broker restart: then, if no record
      // follows on this partition, nothing else would ever commit these offsets and the lag would
      // stay although the work is done. So try again a few times while the partition is ours.
      this.options.logger.debug({ err: error, topic, partition, attempt }, 'commit refused');
      if (attempt < COMMIT_RETRIES && this.running && !this.crashed && this.commits.get(`${topic}:${partition}`) === commits) {
        commits.pending ??= offset;
        this.commitLater(topic, partition, commits, 250 * 2 ** (attempt + 1), attempt + 1);
      }
    }
  }

  /**
   * After a rebalance: a partition this member lost must not get a late paced commit (kafkajs
   * would send it with the new generation and could move its new owner's offset back), so its
   * waiting commit is dropped; the new owner redoes those records (idempotently).
   */
  private forgetRevokedCommits(): void {
    for (const [key, commits] of this.commits) {
      const split = key.lastIndexOf(':');
      if (this.assignment[key.slice(0, split)]?.includes(Number(key.slice(split + 1)))) continue;
      if (commits.timer) clearTimeout(commits.timer);
      this.commits.delete(key);
    }
  }

  /** Commits every offset still waiting for its interval (graceful stop). */
  private async flushCommits(): Promise<void> {
    const waiting: Promise<void>[] = [];
    for (const [key, commits] of this.commits) {
      if (commits.timer) clearTimeout(commits.timer);
      commits.timer = undefined;
      const due = commits.pending;
      commits.pending = undefined;
      if (due === undefined || this.crashed) continue;
      const split = key.lastIndexOf(':');
      waiting.push(this.commitNow(key.slice(0, split), Number(key.slice(split + 1)), commits, due, COMMIT_RETRIES));
    }
    await Promise.all(waiting);
  }

  /** The batch's `prepare` result, or undefined when there is none or it failed (logged). */
  private async prepare(records: readonly ConsumedRecord[], signal: AbortSignal): Promise<B | undefined> {
    if (!this.options.prepare) return undefined;
    try {
      return await this.options.prepare(records, signal);
    } catch (error) {
      this.options.logger.debug({ err: error, group: this.options.groupId }, 'preparing a batch failed; its records are handled one by one');
      return undefined;
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
