import { ConsumerStoppingError, type ConsumedRecord } from '../bus/index.js';
import { fromEventHeaders, type EventMetadata } from '../bus/index.js';
import { ERRORS } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { backoffDelay, sleep } from '../retry/index.js';
import type { AvroCodec } from '../schema/codec/avro-codec.js';
import type { CompletedKeys } from '../state/completed-keys.js';
import type { ParkedKeys } from '../state/parked-keys.js';
import type { ConnectorDefinition, ConnectorEvent, XrefReader } from '../sdk/types.js';
import { asMappingFailure, type ActionExecutor, type CompletedKeyStore } from './action-executor.js';
import { BatchLookups } from './batch-lookups.js';
import { InvalidRecordError, classifyFailure, failureOf, type FailureClass } from './errors.js';
import type { FailureSink } from './failure-sink.js';
import { RUNTIME_HEADER, eventLogContext } from './record-headers.js';
import type { ConnectorMetrics, ProcessOutcome, SkipReason } from './connector-metrics.js';
import {
  ATTR_SWITCHBOARD_ERROR_CODE, ATTR_SWITCHBOARD_OUTCOME, failSpan, startProcessSpan, type StartedSpan,
} from '../telemetry/index.js';

/** Where a record was consumed from: the source topics, or the connector's retry topic. */
export type RecordOrigin = 'source' | 'retry';

/** How often a waiting parked record (an earlier one of its key is not applied yet) looks again. */
const WAITING_RECHECK_MS = 1000;

type Outcome =
  | { kind: 'applied' }
  | { kind: 'skipped'; reason: SkipReason }
  | { kind: 'failed'; failure: FailureClass; attempts: number };

export interface EventProcessorOptions {
  readonly connector: ConnectorDefinition;
  readonly codec: AvroCodec;
  readonly executor: ActionExecutor;
  readonly completed: CompletedKeyStore & Pick<CompletedKeys, 'hasMany'>;
  readonly parked: ParkedKeys;
  readonly sink: FailureSink;
  readonly xref: XrefReader;
  /** The worker's counters (its WorkerStats and the connector's Prometheus series). */
  readonly metrics: ConnectorMetrics;
  readonly logger: Logger;
  /** The consumer group of the source topics, for the spans' `messaging.consumer.group.name`. */
  readonly consumerGroup?: string;
}

/**
 * Takes one record from consumed to settled: applied, skipped, parked in the retry topic, or
 * dead-lettered. It resolves once the record's outcome is durable (effect acknowledged, or
 * the parked / dead-lettered copy acknowledged by the broker), so the caller may then count
 * its offset as done. It rejects only when the worker is stopping (ConsumerStoppingError), in
 * which case the offset is not committed and the record is redelivered.
 *
 * Ordering per key across parking: once an event of a key is parked, later events of that
 * key are parked behind it (ParkedKeys in Redis), and the retry consumer applies a parked
 * event only when it heads its key's queue. Caveat: a dead-lettered event leaves its queue,
 * so the events behind it go on without it (it can be replayed later, out of order).
 *
 * Tracing: each record taken up gets a `process <topic>` span (CONSUMER), child of the record's
 * `traceparent`; its HTTP calls and produced events are children of that span. Retries, parking
 * and dead-lettering are span events (with the error code), a dead letter also the span's error
 * status, and `switchboard.outcome` says how it ended. A parked record that is not yet due or
 * not yet at the head of its key's queue goes round without a span: no work was done for it.
 */
export class EventProcessor {
  private handled: ReadonlySet<string>;
  /** What events are mapped with: `options.connector` until {@link swapDefinition} replaces it. */
  private current: ConnectorDefinition;

  constructor(private readonly options: EventProcessorOptions) {
    this.handled = new Set(options.connector.source.eventTypes);
    this.current = options.connector;
  }

  /**
   * Hot reload of a connector's mapping (a declarative connector's file changed): events whose
   * mapping starts after this call use `next` (its `map` and event types); an event being
   * mapped or performed finishes under the old definition. Name, topics, target and options
   * stay those of `options.connector` (ConnectorWorker.swapDefinition refuses other changes).
   */
  swapDefinition(next: ConnectorDefinition): void {
    this.current = next;
    this.handled = new Set(next.source.eventTypes);
  }

  /**
   * Reads what the records of one batch fetched from the source topics need from Redis (applied
   * already? key parked?) in one round trip; `process` is then given the result with each of them.
   */
  prepare(records: readonly ConsumedRecord[]): Promise<BatchLookups> {
    const { completed, parked, connector } = this.options;
    return BatchLookups.read(records, { completed, parked, connector: connector.name, produces: !('system' in connector.target) });
  }

  async process(record: ConsumedRecord, from: RecordOrigin, signal: AbortSignal, lookups?: BatchLookups): Promise<void> {
    this.options.metrics.began();
    try {
      await this.handle(record, from, signal, lookups);
    } finally {
      this.options.metrics.ended();
    }
  }

  private async handle(record: ConsumedRecord, from: RecordOrigin, signal: AbortSignal, lookups: BatchLookups | undefined): Promise<void> {
    const { parked, metrics } = this.options;
    const key = record.key?.toString('utf8') ?? '';
    metrics.consumed();
    const parkId = record.headers[RUNTIME_HEADER.parkId];
    if (from === 'retry') {
      await this.waitUntilDue(record, signal);
      if (parkId && (await parked.position(key, parkId)) === 'waiting') {
        // Not our turn: go round again, keeping the same round and id.
        await this.options.sink.park(record, { ...this.parkedFailure(record), attempts: Number(record.headers[RUNTIME_HEADER.attempts] ?? 0), round: this.roundOf(record), nextAttemptAt: Date.now() + WAITING_RECHECK_MS, parkId }, signal);
        return;
      }
    }
    const span = this.startSpan(record, key);
    const startedAt = performance.now();
    let outcome: ProcessOutcome | undefined;
    try {
      outcome = await this.settle(record, from, key, parkId, span, signal, lookups);
      span.span.setAttribute(ATTR_SWITCHBOARD_OUTCOME, outcome);
      metrics.settled(outcome, startedAt);
    } catch (error) {
      // Stopping (the record comes again) or an unexpected failure (redelivered): no outcome.
      failSpan(span.span, error instanceof ConsumerStoppingError ? 'worker stopping; redelivered later' : 'handling failed; redelivered');
      throw error;
    } finally {
      span.span.end();
    }
  }

  private startSpan(record: ConsumedRecord, key: string): StartedSpan {
    return startProcessSpan({
      topic: record.topic, partition: record.partition, offset: record.offset, key,
      eventId: record.headers.ce_id, eventType: record.headers.ce_type, connector: this.options.connector.name, consumerGroup: this.options.consumerGroup,
    }, record.headers.traceparent);
  }

  /** Takes one record (its turn, if it was parked) to its outcome. */
  private async settle(record: ConsumedRecord, from: RecordOrigin, key: string, parkId: string | undefined, span: StartedSpan, signal: AbortSignal, lookups: BatchLookups | undefined): Promise<ProcessOutcome> {
    const { parked, metrics } = this.options;
    if (from === 'source' && (lookups?.isParked(key) ?? (await parked.isParked(key)))) {
      await this.park(record, key, failureOf(ERRORS.RUNTIME_KEY_PARKED.code, 'an earlier event of this key is parked; kept behind it'), 0, 0, Date.now(), span, signal, undefined, lookups);
      return 'parked';
    }

    const outcome = await this.attempt(record, key, span, signal, lookups);
    if (outcome.kind !== 'failed') {
      if (outcome.kind === 'applied') metrics.applied(record.headers.ce_time);
      else metrics.skipped(outcome.reason);
      if (parkId) await parked.remove(key, parkId);
      return outcome.kind;
    }
    const { failure, attempts } = outcome;
    const totalAttempts = attempts + Number(record.headers[RUNTIME_HEADER.attempts] ?? 0);
    const round = from === 'retry' ? this.roundOf(record) + 1 : 1;
    if (failure.retriable && round <= this.options.connector.options.maxParkRounds) {
      const { parkInitialMs, parkMaxMs } = this.options.connector.options;
      const nextAttemptAt = Date.now() + backoffDelay(round - 1, { initialMs: parkInitialMs, maxMs: parkMaxMs });
      await this.park(record, key, failure, totalAttempts, round, nextAttemptAt, span, signal, parkId, lookups);
      return 'parked';
    }
    await this.options.sink.deadLetter(record, failure, totalAttempts, signal);
    metrics.deadLettered();
    span.span.addEvent('dead-lettered', { [ATTR_SWITCHBOARD_ERROR_CODE]: failure.code, attempts: totalAttempts });
    failSpan(span.span, failure.code);
    if (parkId) await parked.remove(key, parkId);
    this.noteError(failure, record);
    this.options.logger.warn({ ...eventLogContext(record.headers), code: failure.code, attempts: totalAttempts, topic: record.topic, partition: record.partition, offset: record.offset }, `dead-lettered: ${failure.message}`);
    return 'dead_lettered';
  }

  /** Tries the event up to maxAttempts times in this worker, with backoff between tries. */
  private async attempt(record: ConsumedRecord, key: string, span: StartedSpan, signal: AbortSignal, lookups: BatchLookups | undefined): Promise<Outcome> {
    const { maxAttempts, retryInitialMs, retryMaxMs } = this.options.connector.options;
    let last: FailureClass | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (signal.aborted) throw new ConsumerStoppingError();
      try {
        return await this.applyOnce(record, key, attempt, span, lookups);
      } catch (error) {
        if (error instanceof ConsumerStoppingError || signal.aborted) throw new ConsumerStoppingError();
        last = classifyFailure(error);
        if (!last.retriable) return { kind: 'failed', failure: last, attempts: attempt };
        this.noteError(last, record);
        span.span.addEvent('attempt failed', { [ATTR_SWITCHBOARD_ERROR_CODE]: last.code, attempt });
        if (attempt < maxAttempts) {
          this.options.metrics.retried();
          await sleep(backoffDelay(attempt - 1, { initialMs: retryInitialMs, maxMs: retryMaxMs }), signal);
        }
      }
    }
    return { kind: 'failed', failure: last as FailureClass, attempts: maxAttempts };
  }

  private async applyOnce(record: ConsumedRecord, key: string, attempt: number, span: StartedSpan, lookups: BatchLookups | undefined): Promise<Outcome> {
    let metadata: EventMetadata;
    try {
      metadata = fromEventHeaders(record.headers);
    } catch (error) {
      throw new InvalidRecordError(`record has no usable CloudEvents headers: ${(error as Error).message}`, { cause: error });
    }
    if (record.value === null) throw new InvalidRecordError('record has no value (tombstone)');
    // Synchronous once the writer schema is known: no await per event after warm-up.
    const decoded = this.options.codec.decodeEventSync(record.value) ?? (await this.options.codec.decodeEvent(record.value));
    if (!this.handled.has(decoded.fullName)) return { kind: 'skipped', reason: 'unhandled_type' };
    const idempotencyKey = `${this.options.connector.name}:${metadata.id}`;
    if (lookups?.takeEventDone(record) ?? (await this.options.completed.has(idempotencyKey))) return { kind: 'skipped', reason: 'duplicate' };

    const event = { metadata, type: decoded.fullName, value: decoded.value, key } as ConnectorEvent;
    let actions;
    try {
      actions = await this.current.map(event, { connector: this.options.connector.name, attempt, xref: this.options.xref });
    } catch (error) {
      throw asMappingFailure(error);
    }
    // The effects are children of this process span: calls and produced events carry its context.
    // The executor marks the event done once every action succeeded.
    const cause: EventMetadata = { id: metadata.id, source: metadata.source, type: metadata.type, time: metadata.time, correlationId: metadata.correlationId, causationId: metadata.causationId, traceparent: span.traceparent };
    await this.options.executor.execute(actions, cause, idempotencyKey, undefined, lookups?.takeFirstProduceDone(record));
    return { kind: 'applied' };
  }

  private async park(record: ConsumedRecord, key: string, failure: FailureClass, attempts: number, round: number, nextAttemptAt: number, span: StartedSpan, signal: AbortSignal, existingParkId?: string, lookups?: BatchLookups): Promise<void> {
    const parkId = existingParkId ?? `${record.topic}:${record.partition}:${record.offset}`;
    // Queue first: if the write below never happens, the record is redelivered and parked again with the same id.
    await this.options.parked.enqueue(key, parkId);
    lookups?.noteParked(key);
    await this.options.sink.park(record, { failure, attempts, round, nextAttemptAt, parkId }, signal);
    this.options.metrics.parked();
    span.span.addEvent('parked', { [ATTR_SWITCHBOARD_ERROR_CODE]: failure.code, attempts, round, 'switchboard.next_attempt_at': new Date(nextAttemptAt).toISOString() });
    if (failure.code !== ERRORS.RUNTIME_KEY_PARKED.code) {
      this.options.logger.warn({ ...eventLogContext(record.headers), code: failure.code, attempts, round }, `parked for retry: ${failure.message}`);
    }
  }

  private async waitUntilDue(record: ConsumedRecord, signal: AbortSignal): Promise<void> {
    const due = Number(record.headers[RUNTIME_HEADER.nextAttemptAt] ?? 0);
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait, signal);
    if (signal.aborted) throw new ConsumerStoppingError();
  }

  private roundOf(record: ConsumedRecord): number {
    return Number(record.headers[RUNTIME_HEADER.parkRound] ?? 0);
  }

  private parkedFailure(record: ConsumedRecord): { failure: FailureClass } {
    return {
      failure: {
        code: record.headers[RUNTIME_HEADER.errorCode] ?? ERRORS.RUNTIME_KEY_PARKED.code,
        message: record.headers[RUNTIME_HEADER.errorMessage] ?? 'waiting behind an earlier parked event',
        // Only retriable failures are parked; the header's code may come from an older worker.
        retriable: true,
      },
    };
  }

  private noteError(failure: FailureClass, record: ConsumedRecord): void {
    this.options.metrics.noteError({ code: failure.code, message: failure.message, at: new Date().toISOString(), eventId: record.headers['ce_id'] });
  }
}
