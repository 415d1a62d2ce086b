import type { Redis } from 'ioredis';
import type { Bus, BusProducer, ConsumedRecord, OutgoingRecord } from '../bus/index.js';
import { ERRORS, SwitchboardError } from '../errors/index.js';
import { INTERNAL_TOPICS } from '../../catalogue/index.js';
import { DeadLetterMarks, type DeadLetterMark, type DeadLetterStatus } from './dead-letter-marks.js';
import { RUNTIME_HEADER, eventHeadersOf } from './record-headers.js';

export type { DeadLetterStatus, DeadLetterMark } from './dead-letter-marks.js';

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
 * the cause is fixed; `replayOnce` claims it first so it is replayed once), discard one. What
 * was replayed or discarded is recorded in a Redis hash (DeadLetterMarks); the dead-letter
 * topic itself is never rewritten.
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
  private readonly producer: BusProducer;
  private readonly prefix: string;
  private readonly marks: DeadLetterMarks;

  constructor(options: { bus: Bus; redis: Redis; producer: BusProducer; prefix?: string }) {
    this.bus = options.bus;
    this.producer = options.producer;
    this.prefix = options.prefix ?? '';
    this.marks = new DeadLetterMarks(options.redis, this.prefix);
  }

  /** Every dead letter of `connector`, oldest first, with its status. */
  async list(connector: string): Promise<DeadLetter[]> {
    const records = await this.bus.readTopicToEnd(`${this.prefix}${INTERNAL_TOPICS.deadLetter(connector)}`);
    const marks = await this.marks.all(connector);
    return records.map((record) => deadLetterOf(record, connector, marks.get(`${record.partition}:${record.offset}`)?.status));
  }

  /** Sends the dead letter back through the connector (its retry topic, due at once), even when it was replayed before. */
  async replay(connector: string, id: string): Promise<void> {
    const letter = await this.find(connector, id);
    await this.producer.send(replayRecordOf(letter, this.prefix));
    await this.marks.set(connector, id, { status: 'replayed', at: new Date().toISOString() });
  }

  /**
   * Replays a dead letter unless it was replayed (or discarded) before, or is being replayed by
   * someone else right now: the replay is claimed atomically first, so concurrent and repeated
   * calls produce it once. A replayed record that reaches the worker twice anyway (a redelivery)
   * is skipped there by its completed idempotency key.
   */
  async replayOnce(letter: DeadLetter, by: string, reason?: string): Promise<ReplayOutcome> {
    const standing = await this.marks.claimReplay(letter.connector, letter.id, by);
    if (standing !== undefined) return { id: letter.id, outcome: standing.status === 'discarded' ? 'discarded' : 'already-replayed', mark: standing };
    try {
      await this.producer.send(replayRecordOf(letter, this.prefix));
    } catch (error) {
      await this.marks.release(letter.connector, letter.id);
      throw error;
    }
    await this.marks.confirmReplay(letter.connector, letter.id, by, reason);
    return { id: letter.id, outcome: 'replayed' };
  }

  /** Records that the operator chose not to apply this dead letter. */
  async discard(connector: string, id: string): Promise<void> {
    await this.find(connector, id);
    await this.marks.set(connector, id, { status: 'discarded', at: new Date().toISOString() });
  }

  private async find(connector: string, id: string): Promise<DeadLetter> {
    const letter = (await this.list(connector)).find((candidate) => candidate.id === id);
    if (!letter) throw new DeadLetterNotFoundError(connector, id);
    return letter;
  }
}

/** What `replayOnce` did with one dead letter. */
export interface ReplayOutcome {
  readonly id: string;
  /** `replayed`: now, by this call; `already-replayed`: before (or by a concurrent call); `discarded`: not replayed, an operator discarded it. */
  readonly outcome: 'replayed' | 'already-replayed' | 'discarded';
  /** The mark that stood, when not replayed now. */
  readonly mark?: DeadLetterMark;
}

/** Reads one record of a dead-letter topic as the dead letter an operator sees. */
export function deadLetterOf(record: ConsumedRecord, connector: string, status: DeadLetterStatus = 'open'): DeadLetter {
  const h = record.headers;
  return {
    id: `${record.partition}:${record.offset}`,
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
    status,
  };
}

/** The record a replay sends: the event as it was, to the connector's retry topic, due at once. */
export function replayRecordOf(letter: Pick<DeadLetter, 'id' | 'connector' | 'key' | 'value' | 'headers' | 'originalTopic' | 'originalPartition' | 'originalOffset'>, prefix: string): OutgoingRecord {
  return {
    topic: `${prefix}${INTERNAL_TOPICS.retry(letter.connector)}`,
    key: letter.key,
    value: letter.value,
    headers: {
      ...letter.headers,
      [RUNTIME_HEADER.originalTopic]: letter.originalTopic,
      [RUNTIME_HEADER.originalPartition]: String(letter.originalPartition),
      [RUNTIME_HEADER.originalOffset]: letter.originalOffset,
      [RUNTIME_HEADER.replayOf]: letter.id,
      [RUNTIME_HEADER.nextAttemptAt]: String(Date.now()),
    },
  };
}
