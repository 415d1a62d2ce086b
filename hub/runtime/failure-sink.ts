import { BusAccessDeniedError, ConsumerStoppingError, type BusProducer, type ConsumedRecord } from '../bus/index.js';
import { Backoff, sleep } from '../retry/index.js';
import type { Logger } from '../log/logger.js';
import type { FailureClass } from './errors.js';
import { RUNTIME_HEADER, eventHeadersOf, originOf } from './record-headers.js';

/** Where a failed record goes: the connector's retry topic (parked) or its dead-letter topic. */
export interface FailureTopics {
  readonly retry: string;
  readonly deadLetter: string;
}

export interface ParkInfo {
  readonly failure: FailureClass;
  readonly attempts: number;
  readonly round: number;
  readonly nextAttemptAt: number;
  readonly parkId: string;
  /** Epoch ms of the event's first failure, carried from round to round; absent for an event only held behind its key. */
  readonly firstFailedAt?: number;
}

/**
 * Writes parked and dead-lettered records. The event's own headers and bytes are kept as they
 * were (so a replay is the original event), with the runtime's `swb_*` headers beside them.
 * A write that fails (broker unavailable) is retried until it succeeds or the worker stops:
 * the record's offset is only committed after the write is acknowledged. A write Kafka refuses
 * to this principal (an ACL missing: BusAccessDeniedError) is not retried: retrying cannot
 * grant it, and the worker stops the connector with that error.
 */
export class FailureSink {
  constructor(
    private readonly producer: BusProducer,
    private readonly topics: FailureTopics,
    private readonly connector: string,
    private readonly logger: Logger,
  ) {}

  async park(record: ConsumedRecord, info: ParkInfo, signal: AbortSignal): Promise<void> {
    await this.write(this.topics.retry, record, {
      [RUNTIME_HEADER.errorCode]: info.failure.code,
      [RUNTIME_HEADER.errorMessage]: truncate(info.failure.message),
      [RUNTIME_HEADER.attempts]: String(info.attempts),
      [RUNTIME_HEADER.parkRound]: String(info.round),
      [RUNTIME_HEADER.nextAttemptAt]: String(info.nextAttemptAt),
      [RUNTIME_HEADER.parkId]: info.parkId,
      ...(info.firstFailedAt === undefined ? {} : { [RUNTIME_HEADER.firstFailedAt]: String(info.firstFailedAt) }),
    }, signal);
  }

  async deadLetter(record: ConsumedRecord, failure: FailureClass, attempts: number, signal: AbortSignal): Promise<void> {
    await this.write(this.topics.deadLetter, record, {
      [RUNTIME_HEADER.errorCode]: failure.code,
      [RUNTIME_HEADER.errorMessage]: truncate(failure.message),
      [RUNTIME_HEADER.attempts]: String(attempts),
    }, signal);
  }

  private async write(topic: string, record: ConsumedRecord, extra: Record<string, string>, signal: AbortSignal): Promise<void> {
    const origin = originOf(record);
    const headers: Record<string, string> = {
      ...eventHeadersOf(record.headers),
      [RUNTIME_HEADER.originalTopic]: origin.topic,
      [RUNTIME_HEADER.originalPartition]: String(origin.partition),
      [RUNTIME_HEADER.originalOffset]: origin.offset,
      [RUNTIME_HEADER.connector]: this.connector,
      [RUNTIME_HEADER.failedAt]: String(Date.now()),
      ...extra,
    };
    // Capped at 1 s: once the broker is back the write goes out within a second (see docs/guarantees.md, "Broker outage").
    const backoff = new Backoff({ initialMs: 200, maxMs: 1000 });
    for (;;) {
      try {
        await this.producer.send({ topic, key: record.key === null ? null : record.key.toString('utf8'), value: record.value, headers });
        return;
      } catch (error) {
        if (error instanceof BusAccessDeniedError) throw error;
        if (signal.aborted) throw new ConsumerStoppingError();
        // One warning per record; the watchdog reports a write that stays stuck.
        this.logger[backoff.attempts === 0 ? 'warn' : 'debug']({ err: error, topic }, 'could not write a failed record; retrying');
        await sleep(backoff.next(), signal);
      }
    }
  }
}

function truncate(text: string): string {
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}
