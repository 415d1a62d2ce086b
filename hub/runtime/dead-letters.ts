import type { Redis } from 'ioredis';
import type { Bus, BusProducer } from '../bus/index.js';
import { ERRORS, SwitchboardError } from '../errors/index.js';
import { stateKey } from '../state/redis.js';
import { INTERNAL_TOPICS } from '../../catalogue/index.js';
import { RUNTIME_HEADER, eventHeadersOf } from './record-headers.js';

/** What became of a dead letter. */
export type DeadLetterStatus = 'open' | 'replayed' | 'discarded';

/** One record of `switchboard.dlq.<connector>`, as an operator sees it. */
export interface DeadLetter {
  /** `<dlq partition>:<offset>`: stable, used to replay or discard. */
  readonly id: string;
  readonly connector: string;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attempts: number;
  readonly originalTopic: string;
  readonly originalPartition: number;
  readonly originalOffset: string;
  readonly failedAt: string;
  readonly key: string | null;
  /** The event id (`ce_id`), when the record had one. */
  readonly eventId: string | undefined;
  /** The event's own headers (CloudEvents, correlation, trace). */
  readonly headers: Readonly<Record<string, string>>;
  readonly value: Buffer | null;
  readonly status: DeadLetterStatus;
}

/** No dead letter with that id. */
export class DeadLetterNotFoundError extends SwitchboardError {
  constructor(connector: string, id: string) {
    super(ERRORS.RUNTIME_DEAD_LETTER_NOT_FOUND.code, `connector ${connector} has no dead letter ${id}`);
  }
}

/**
 * Operations on dead letters: list (read the connector's dead-letter topic), replay one
 * (re-produce it to that connector's retry topic, so only that connector sees it again, once
 * the cause is fixed), discard one. What was replayed or discarded is recorded in a Redis hash;
 * the dead-letter topic itself is never rewritten.
 *
 * @example
 * ```ts
 * const dlq = new DeadLetters({ bus, redis, producer });
 * const [first] = await dlq.list('crm-order-to-erp');
 * await dlq.replay('crm-order-to-erp', first.id);
 * ```
 */
export class DeadLetters {
  private readonly bus: Bus;
  private readonly redis: Redis;
  private readonly producer: BusProducer;
  private readonly prefix: string;

  constructor(options: { bus: Bus; redis: Redis; producer: BusProducer; prefix?: string }) {
    this.bus = options.bus;
    this.redis = options.redis;
    this.producer = options.producer;
    this.prefix = options.prefix ?? '';
  }

  /** Every dead letter of `connector`, oldest first, with its status. */
  async list(connector: string): Promise<DeadLetter[]> {
    const records = await this.bus.readTopicToEnd(`${this.prefix}${INTERNAL_TOPICS.deadLetter(connector)}`);
    const marks = await this.redis.hgetall(this.marksKey(connector));
    return records.map((record) => {
      const h = record.headers;
      const id = `${record.partition}:${record.offset}`;
      const mark = marks[id] ? (JSON.parse(marks[id]) as { status: DeadLetterStatus }) : undefined;
      return {
        id,
        connector,
        errorCode: h[RUNTIME_HEADER.errorCode] ?? 'unknown',
        errorMessage: h[RUNTIME_HEADER.errorMessage] ?? '',
        attempts: Number(h[RUNTIME_HEADER.attempts] ?? 0),
        originalTopic: h[RUNTIME_HEADER.originalTopic] ?? '',
        originalPartition: Number(h[RUNTIME_HEADER.originalPartition] ?? -1),
        originalOffset: h[RUNTIME_HEADER.originalOffset] ?? '',
        failedAt: new Date(Number(h[RUNTIME_HEADER.failedAt] ?? record.timestamp)).toISOString(),
        key: record.key?.toString('utf8') ?? null,
        eventId: h['ce_id'],
        headers: eventHeadersOf(h),
        value: record.value,
        status: mark?.status ?? 'open',
      };
    });
  }

  /** Sends the dead letter back through the connector (its retry topic, due at once). */
  async replay(connector: string, id: string): Promise<void> {
    const letter = await this.find(connector, id);
    await this.producer.send({
      topic: `${this.prefix}${INTERNAL_TOPICS.retry(connector)}`,
      key: letter.key,
      value: letter.value,
      headers: {
        ...letter.headers,
        [RUNTIME_HEADER.originalTopic]: letter.originalTopic,
        [RUNTIME_HEADER.originalPartition]: String(letter.originalPartition),
        [RUNTIME_HEADER.originalOffset]: letter.originalOffset,
        [RUNTIME_HEADER.replayOf]: id,
        [RUNTIME_HEADER.nextAttemptAt]: String(Date.now()),
      },
    });
    await this.mark(connector, id, 'replayed');
  }

  /** Records that the operator chose not to apply this dead letter. */
  async discard(connector: string, id: string): Promise<void> {
    await this.find(connector, id);
    await this.mark(connector, id, 'discarded');
  }

  private async find(connector: string, id: string): Promise<DeadLetter> {
    const letter = (await this.list(connector)).find((candidate) => candidate.id === id);
    if (!letter) throw new DeadLetterNotFoundError(connector, id);
    return letter;
  }

  private async mark(connector: string, id: string, status: DeadLetterStatus): Promise<void> {
    await this.redis.hset(this.marksKey(connector), id, JSON.stringify({ status, at: new Date().toISOString() }));
  }

  private marksKey(connector: string): string {
    return stateKey(this.prefix, 'dlq', connector);
  }
}
