import { randomUUID } from 'node:crypto';
import kafkajs, { type Admin, type Consumer, type EachBatchPayload, type Kafka, type Producer, type RecordMetadata } from 'kafkajs';
import { ERRORS, SwitchboardError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { BusConfig } from './bus-config.js';
import { PartitionAcks } from './partition-acks.js';
import { subscribeWhenKnown } from './subscribe-when-known.js';
import { createKafka } from './kafka-client.js';
import { fetchTopicOffsetsWhenReady, waitForTopicLeaders } from './bus-admin.js';
import { CONSUMER_RETRY, CONSUMER_SESSION_TIMEOUT_MS, PRODUCER_RETRY, heartbeatIntervalOf } from './recovery-settings.js';

// kafkajs is CommonJS; Node's ESM loader cannot see every named export.
const { ConfigResourceTypes } = kafkajs;

/** One record to append: `value: null` writes a tombstone. */
export interface LogEntry {
  readonly key: string;
  readonly value: Buffer | string | null;
}

/** Where a request's records landed: one position per entry (`perEntry`), or the end of each partition written. */
interface WrittenPositions {
  readonly positions: LogPosition[];
  readonly perEntry: boolean;
}

/** An append waiting for its request (see CompactedLog.appendAll). */
interface WaitingAppend {
  readonly entries: readonly LogEntry[];
  readonly resolve: (positions: LogPosition[]) => void;
  readonly reject: (error: unknown) => void;
}

/** One record of a compacted log. `value: null` is a tombstone: the key was deleted. */
export interface CompactedRecord {
  readonly key: string;
  readonly value: Buffer | null;
  readonly partition: number;
  readonly offset: string;
}

/** Where an appended record landed; `waitFor` resolves once the tail has passed it. */
export interface LogPosition {
  readonly partition: number;
  readonly offset: string;
}

export interface CompactedLogOptions {
  readonly topic: string;
  readonly bus: BusConfig;
  readonly logger: Logger;
  /** Partitions when the topic is created. Default 1: one total order of all keys. */
  readonly partitions?: number;
  /** Suffix of the kafkajs client id, e.g. `registry`. */
  readonly clientIdSuffix?: string;
  /** How long `append` waits for the tail to read its own write back. Default 30 s. */
  readonly readBackTimeoutMs?: number;
  /**
   * Makes this log single-writer: appends become Kafka transactions under this id, allowed
   * only after `claimWriter()`. The last instance to claim fences every earlier one, whose
   * appends then fail with a `fenced` CompactedLogError: a writer that lost its role (paused,
   * cut off, replaced) can never append again. Use one id per topic, e.g. `<app>.<topic>`.
   */
  readonly transactionalId?: string;
}

/**
 * The log could not be read or written (broker down, topic misconfigured): retriable,
 * `SWB_ERR_BUS_COMPACTED_LOG`. Or it was used after close: not retriable,
 * `SWB_ERR_BUS_COMPACTED_LOG_CLOSED` (see {@link CompactedLogError.closed}).
 */
export class CompactedLogError extends SwitchboardError {
  /**
   * True when an append was refused because this instance is not (or no longer) the log's
   * writer: it never claimed, another instance claimed after it, or its last append failed.
   * Nothing of the refused append is visible. Retriable through the current writer.
   */
  readonly fenced: boolean;

  constructor(
    code: typeof ERRORS.BUS_COMPACTED_LOG.code | typeof ERRORS.BUS_COMPACTED_LOG_CLOSED.code,
    message: string,
    options: { cause?: unknown; fenced?: boolean } = {},
  ) {
    super(code, message, options);
    this.fenced = options.fenced ?? false;
  }

  /** The log `topic` was used after `close()`. */
  static closed(topic: string): CompactedLogError {
    return new CompactedLogError(ERRORS.BUS_COMPACTED_LOG_CLOSED.code, `log ${topic} is closed`);
  }

  /** An append to `topic` by an instance that does not hold the writer claim. */
  static fenced(topic: string, detail: string, cause?: unknown): CompactedLogError {
    return new CompactedLogError(ERRORS.BUS_COMPACTED_LOG.code, `not the writer of ${topic}: ${detail}`, { cause, fenced: true });
  }
}

/**
 * A key/value table kept in a compacted Kafka topic: the latest value per key survives,
 * a null value deletes the key. Used for the schema registry's `_schemas` and reusable for
 * any small durable state (cross-references, ...).
 *
 * Lifecycle:
 * 1. `load(listener)` ensures the topic exists (compacted), reads it from the beginning up
 *    to the end offsets it saw at the start, passing every record to `listener` in log
 *    order, and resolves when caught up. It then keeps tailing: records written later (by
 *    this or any other process) reach `listener` too.
 * 2. `append(key, value)` writes with an idempotent, acks=all producer, one request at a
 *    time, and resolves with the record's position once acknowledged. `waitFor(position)`
 *    resolves once the tail has delivered that record, i.e. memory built by the listener
 *    reflects the write (`appendAndWait` does both).
 * 3. `close()` stops tailing and disconnects; pending waits are rejected.
 *
 * Single writer (`transactionalId`): `claimWriter()` fences every other instance that claimed
 * the same id (Kafka aborts their open transaction and refuses their later appends), then
 * reads the log to its end, so whatever the listener built is complete before the first
 * append. Each append is a transaction; readers only ever see committed records. An append
 * that fails for any reason drops the claim (the next `claimWriter()` re-reads to the end,
 * which settles whether the failed append landed). Needs a cluster that supports
 * transactions (`transaction.state.log.*` sized for it) and, with ACLs, Write on the id.
 *
 * The tail reads through a consumer group of its own (unique per instance, never commits
 * offsets) because kafkajs has no manual partition assignment; every instance therefore
 * reads the whole log. The listener is called one record at a time; an exception from it
 * is logged and the record skipped, so one bad record cannot stop the tail.
 *
 * @example
 * ```ts
 * const log = new CompactedLog({ topic: '_xrefs', bus: loadBusConfig(), logger });
 * const table = new Map<string, string>();
 * await log.load((r) => (r.value === null ? table.delete(r.key) : table.set(r.key, r.value.toString())));
 * await log.appendAndWait('crm:C-17', Buffer.from('erp:100045'));
 * ```
 */
export class CompactedLog {
  readonly topic: string;
  private readonly kafka: Kafka;
  private readonly logger: Logger;
  private readonly partitions: number;
  private readonly replicationFactor: number;
  private readonly minInsyncReplicas: number;
  private readonly readBackTimeoutMs: number;
  private readonly transactionalId: string | undefined;
  private admin: Admin | undefined;
  private producer: Producer | undefined;
  /** Fails an append kafkajs acknowledged without writing every partition (see PartitionAcks); appends are serialised, so one serves both producers. */
  private readonly acks = new PartitionAcks();
  /** The claimed transactional producer; undefined while this instance is not the writer. */
  private writer: Producer | undefined;
  private consumer: Consumer | undefined;
  /** Next offset the tail will deliver, per partition. */
  private readonly next = new Map<number, bigint>();
  private waiters: { partition: number; offset: bigint; resolve: () => void; reject: (e: unknown) => void; timer: NodeJS.Timeout }[] = [];
  private appends: Promise<unknown> = Promise.resolve();
  /** Appends that will go in the request scheduled next (see appendAll); undefined when none is scheduled. */
  private gathering: WaitingAppend[] | undefined;
  private closed = false;

  constructor(options: CompactedLogOptions) {
    this.topic = options.topic;
    this.logger = options.logger.child({ component: 'compacted-log', topic: options.topic });
    this.kafka = createKafka(options.bus, this.logger, options.clientIdSuffix ?? 'compacted-log');
    this.partitions = options.partitions ?? 1;
    this.replicationFactor = options.bus.replicationFactor;
    this.minInsyncReplicas = options.bus.minInsyncReplicas;
    this.readBackTimeoutMs = options.readBackTimeoutMs ?? 30_000;
    this.transactionalId = options.transactionalId;
  }

  /** Creates the topic (compacted) when missing; warns when an existing one is not compacted. */
  async ensureTopic(): Promise<void> {
    const admin = await this.connectAdmin();
    const topics = await admin.listTopics();
    if (!topics.includes(this.topic)) {
      try {
        await admin.createTopics({
          waitForLeaders: false, // see waitForTopicLeaders
          topics: [
            {
              topic: this.topic,
              numPartitions: this.partitions,
              replicationFactor: this.replicationFactor,
              configEntries: [
                { name: 'cleanup.policy', value: 'compact' },
                { name: 'min.insync.replicas', value: String(this.minInsyncReplicas) },
              ],
            },
          ],
        });
      } catch (error) {
        // Another process may have created it between listTopics and createTopics.
        if (!(await admin.listTopics()).includes(this.topic)) throw error;
      }
      await waitForTopicLeaders(admin, [this.topic]);
      return;
    }
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: this.topic, configNames: ['cleanup.policy'] }],
    });
    const policy = described.resources[0]?.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue;
    if (policy !== undefined && !policy.split(',').includes('compact')) {
      this.logger.warn({ policy }, 'topic is not compacted; old values will be lost to retention');
    }
  }

  /** Reads the log from the beginning and resolves when caught up; then keeps tailing. */
  async load(listener: (record: CompactedRecord) => void): Promise<void> {
    if (this.consumer) throw new Error('CompactedLog.load may be called once');
    await this.ensureTopic();
    const admin = await this.connectAdmin();
    const ends = new Map<number, bigint>();
    for (const p of await fetchTopicOffsetsWhenReady(admin, this.topic)) {
      ends.set(p.partition, BigInt(p.high));
      this.next.set(p.partition, BigInt(p.low));
    }
    const caughtUp = () => [...ends].every(([partition, end]) => (this.next.get(partition) ?? 0n) >= end);

    const consumer = this.kafka.consumer({
      groupId: `switchboard.compacted-log.${this.topic}.${randomUUID()}`,
      allowAutoTopicCreation: false,
      sessionTimeout: CONSUMER_SESSION_TIMEOUT_MS,
      heartbeatInterval: heartbeatIntervalOf(CONSUMER_SESSION_TIMEOUT_MS),
      retry: { ...CONSUMER_RETRY },
      // Quick to notice new records; the registry answers a write only after reading it back.
      maxWaitTimeInMs: 500,
    });
    this.consumer = consumer;
    await consumer.connect();
    // The topic exists (ensureTopic), but on a cluster the broker asked may not know it yet.
    await subscribeWhenKnown(consumer, [this.topic], true);

    let signalCaughtUp: () => void = () => undefined;
    let failLoad: (error: unknown) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      signalCaughtUp = resolve;
      failLoad = reject;
    });
    if (caughtUp()) signalCaughtUp();
    // A fetch holding only transaction markers (or aborted records) never reaches eachBatch;
    // kafkajs still reports its last offset here, and catching up must count it.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      this.advance(payload.partition, BigInt(payload.lastOffset) + 1n);
      if (caughtUp()) signalCaughtUp();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // kafkajs restarts the consumer itself after retriable errors; anything else ends the tail.
      if (payload.restart) return;
      this.logger.error({ err: payload.error }, 'compacted log tail stopped');
      failLoad(new CompactedLogError(ERRORS.BUS_COMPACTED_LOG.code, `could not read ${this.topic}: ${payload.error.message}`, { cause: payload.error }));
    });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }: EachBatchPayload) => {
        for (const message of batch.messages) {
          try {
            listener({ key: message.key?.toString('utf8') ?? '', value: message.value, partition: batch.partition, offset: message.offset });
          } catch (error) {
            this.logger.error({ err: error, offset: message.offset }, 'compacted log listener failed; record skipped');
          }
          this.advance(batch.partition, BigInt(message.offset) + 1n);
        }
        // lastOffset() also covers records the client filtered out (control records).
        this.advance(batch.partition, BigInt(batch.lastOffset()) + 1n);
        if (caughtUp()) signalCaughtUp();
        await heartbeat();
      },
    });
    await ready;
  }

  /** Appends one record (null value = tombstone) and resolves with its acknowledged position. */
  async append(key: string, value: Buffer | string | null): Promise<LogPosition> {
    const [position] = await this.appendAll([{ key, value }]);
    return position;
  }

  /**
   * Appends records in one request, in order, and resolves with positions to `waitFor`: one
   * per entry when they share a partition, else the end of each partition.
   *
   * Appends from this instance go one request at a time: kafkajs's idempotent producer can drop
   * records with concurrent requests (kafkajs#1005). Appends made while a request is in flight
   * wait for it and then go together, in the order they were made, in the next request: one
   * writer process (a worker recording the cross-references of every connector) would otherwise
   * queue a full acks=all round trip per record behind each other (measured: 2.2 s of a 2.3 s
   * processing time per event at 10 orders/s end to end).
   */
  appendAll(entries: readonly LogEntry[]): Promise<LogPosition[]> {
    return new Promise((resolve, reject) => {
      const append: WaitingAppend = { entries, resolve, reject };
      if (this.gathering) {
        this.gathering.push(append);
        return;
      }
      const batch = [append];
      this.gathering = batch;
      const run = this.appends.then(() => {
        // From here on, appends wait for the next request.
        if (this.gathering === batch) this.gathering = undefined;
        return this.appendBatch(batch);
      });
      this.appends = run;
    });
  }

  /** Sends the entries of `batch` in one request and settles each append with its own positions (never rejects). */
  private async appendBatch(batch: readonly WaitingAppend[]): Promise<void> {
    const entries = batch.length === 1 ? batch[0].entries : batch.flatMap((append) => append.entries);
    let written: WrittenPositions;
    try {
      written = await this.appendNow(entries);
    } catch (error) {
      for (const append of batch) append.reject(error);
      return;
    }
    let at = 0;
    for (const append of batch) {
      append.resolve(written.perEntry ? written.positions.slice(at, at + append.entries.length) : written.positions);
      at += append.entries.length;
    }
  }

  private async appendNow(entries: readonly LogEntry[]): Promise<WrittenPositions> {
    if (this.closed) throw CompactedLogError.closed(this.topic);
    if (this.transactionalId !== undefined) return this.appendInTransaction(entries);
    const producer = await this.connectProducer();
    try {
      const metadata = await this.acks.produce(() => producer.send({ topic: this.topic, acks: -1, messages: entries.map((e) => ({ key: e.key, value: e.value })) }));
      return await this.positions(metadata, entries.length);
    } catch (error) {
      // kafkajs rewound the sequence numbers of the failed request, also when the leader wrote
      // it: the next append would reuse one and be acknowledged as a duplicate without being
      // written. A new producer (new producer id) starts afresh (see BusProducer.replaceProducer).
      this.producer = undefined;
      await producer.disconnect().catch(() => undefined);
      throw new CompactedLogError(ERRORS.BUS_COMPACTED_LOG.code, `could not append to ${this.topic}: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * Makes this instance the log's only writer (needs `transactionalId`): fences every instance
   * that claimed before (their open transaction is aborted, their appends refused from now on),
   * then waits until the tail has read the log to its end. Appends are serialised with it, so
   * none runs half before and half after a claim.
   */
  claimWriter(): Promise<void> {
    const transactionalId = this.transactionalId;
    if (transactionalId === undefined) return Promise.reject(new Error(`CompactedLog ${this.topic} has no transactionalId to claim`));
    // Appends made after this call go after the claim, not into a request scheduled before it.
    this.gathering = undefined;
    const run = this.appends.then(async () => {
      if (this.closed) throw CompactedLogError.closed(this.topic);
      await this.dropWriter();
      const producer = this.kafka.producer({
        transactionalId,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // Our transactions last milliseconds; Kafka aborts one left open by a crashed writer
        // after this long unless the next claim aborts it first.
        transactionTimeout: 10_000,
        createPartitioner: this.acks.createPartitioner,
      });
      try {
        await producer.connect();
        // kafkajs sends InitProducerId on the first transaction: that bumps the epoch (fencing
        // the previous holder) and aborts its open transaction before answering.
        await (await producer.transaction()).abort();
        // Only now is the log final up to its end: nobody else can commit into it any more.
        await this.catchUp();
      } catch (error) {
        await producer.disconnect().catch(() => undefined);
        if (error instanceof CompactedLogError) throw error;
        throw new CompactedLogError(ERRORS.BUS_COMPACTED_LOG.code, `could not claim the writer role of ${this.topic}: ${(error as Error).message}`, { cause: error });
      }
      this.writer = producer;
    });
    this.appends = run.catch(() => undefined);
    return run;
  }

  /**
   * Resolves once the tail has read everything committed to the log when called (after
   * `load`). The end is the last stable offset, so another writer's open transaction does not
   * hold it up.
   */
  async catchUp(): Promise<void> {
    const offsets = await fetchTopicOffsetsWhenReady(await this.connectAdmin(), this.topic);
    await Promise.all(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => this.waitFor({ partition: o.partition, offset: String(BigInt(o.high) - 1n) })));
  }

  /** Resolves once the tail has delivered the record at `position` to the listener. */
  waitFor(position: LogPosition): Promise<void> {
    const offset = BigInt(position.offset);
    if ((this.next.get(position.partition) ?? 0n) > offset) return Promise.resolve();
    if (this.closed) return Promise.reject(CompactedLogError.closed(this.topic));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new CompactedLogError(ERRORS.BUS_COMPACTED_LOG.code, `record ${position.partition}:${position.offset} of ${this.topic} was written but not read back within ${this.readBackTimeoutMs} ms`));
      }, this.readBackTimeoutMs);
      this.waiters.push({ partition: position.partition, offset, resolve, reject, timer });
    });
  }

  /** `appendAll` then `waitFor` the last record: the listener has seen every entry. */
  async appendAndWait(entries: readonly LogEntry[]): Promise<void> {
    const positions = await this.appendAll(entries);
    await Promise.all(positions.map((p) => this.waitFor(p)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.appends;
    await this.dropWriter();
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(CompactedLogError.closed(this.topic));
    }
    this.waiters = [];
    await Promise.allSettled([this.consumer?.disconnect(), this.producer?.disconnect(), this.admin?.disconnect()]);
  }

  /** Where `count` records acknowledged with `metadata` landed. */
  private async positions(metadata: readonly RecordMetadata[], count: number): Promise<WrittenPositions> {
    if (metadata.length === 1) {
      // All in one partition (always so with one partition): offsets follow the base offset.
      const { partition, baseOffset } = metadata[0];
      return { positions: Array.from({ length: count }, (_, i) => ({ partition, offset: String(BigInt(baseOffset ?? '0') + BigInt(i)) })), perEntry: true };
    }
    // Several partitions: the ack gives base offsets only, so wait for each end offset.
    const offsets = await fetchTopicOffsetsWhenReady(await this.connectAdmin(), this.topic);
    return { positions: offsets.filter((o) => BigInt(o.high) > 0n).map((o) => ({ partition: o.partition, offset: String(BigInt(o.high) - 1n) })), perEntry: false };
  }

  /** One append as a transaction of the claimed writer; any failure drops the claim. */
  private async appendInTransaction(entries: readonly LogEntry[]): Promise<WrittenPositions> {
    const producer = this.writer;
    if (!producer) throw CompactedLogError.fenced(this.topic, 'this instance has not claimed the writer role (or lost it with its last failed append)');
    try {
      const transaction = await producer.transaction();
      try {
        const metadata = await this.acks.produce(() => transaction.send({ topic: this.topic, acks: -1, messages: entries.map((e) => ({ key: e.key, value: e.value })) }));
        await transaction.commit();
        return await this.positions(metadata, entries.length);
      } catch (error) {
        if (transaction.isActive()) await transaction.abort().catch(() => undefined);
        throw error;
      }
    } catch (error) {
      // Fenced, or the outcome is unknown: either way the next write must claim (and re-read) first.
      await this.dropWriter();
      if (isFencedError(error)) throw CompactedLogError.fenced(this.topic, 'another instance claimed the writer role', error);
      throw new CompactedLogError(ERRORS.BUS_COMPACTED_LOG.code, `could not append to ${this.topic}: ${(error as Error).message}`, { cause: error });
    }
  }

  private async dropWriter(): Promise<void> {
    const writer = this.writer;
    this.writer = undefined;
    await writer?.disconnect().catch(() => undefined);
  }

  private advance(partition: number, next: bigint): void {
    if ((this.next.get(partition) ?? 0n) >= next) return;
    this.next.set(partition, next);
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.partition !== partition || waiter.offset >= next) return true;
      clearTimeout(waiter.timer);
      waiter.resolve();
      return false;
    });
  }

  private async connectAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  private async connectProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // Java-compatible murmur2, so keys land where any other client would put them.
        createPartitioner: this.acks.createPartitioner,
        // Short: an append waited for inside an event's processing is retried by the runtime.
        retry: { ...PRODUCER_RETRY },
      });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }
}

/** Kafka's answers to a producer whose epoch was bumped by a newer holder of its transactional id. */
const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'INVALID_PRODUCER_ID_MAPPING']);

/** True when `error` (or an error it wraps) says another producer took over the transactional id. */
function isFencedError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const { type, code, cause, originalError } = current as { type?: unknown; code?: unknown; cause?: unknown; originalError?: unknown };
    if ((typeof type === 'string' && FENCED_TYPES.has(type)) || code === 47 || code === 90) return true;
    current = cause ?? originalError;
  }
  return false;
}
