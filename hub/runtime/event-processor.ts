import { BusAccessDeniedError, ConsumerStoppingError, type ConsumedRecord } from '../bus/index.js';
import { fromEventHeaders, type EventMetadata } from '../bus/index.js';
import { ERRORS, isSwitchboardError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { Backoff, backoffDelay, sleep } from '../retry/index.js';
import type { AvroCodec } from '../schema/codec/avro-codec.js';
import type { AppliedPositions } from '../state/applied-positions.js';
import type { CompletedKeys } from '../state/completed-keys.js';
import type { ParkedKeys } from '../state/parked-keys.js';
import type { ConnectorDefinition, ConnectorEvent, XrefReader } from '../sdk/types.js';
import { asMappingFailure, type ActionExecutor, type CompletedKeyStore } from './action-executor.js';
import { BatchLookups } from './batch-lookups.js';
import { InvalidRecordError, classifyFailure, failureOf, type FailureClass } from './errors.js';
import type { FailureSink } from './failure-sink.js';
import { hasNoCloudEventsHeaders, headerlessMetadata } from './headerless-records.js';
import type { InFlightEvent, InFlightStage, InFlightWatchdog } from './in-flight-watchdog.js';
import { RUNTIME_HEADER, eventLogContext, originOf } from './record-headers.js';
import type { ConnectorMetrics, ProcessOutcome, SkipReason } from './connector-metrics.js';
import {
  ATTR_SWITCHBOARD_ERROR_CODE, ATTR_SWITCHBOARD_OUTCOME, failSpan, startProcessSpan, type StartedSpan,
} from '../telemetry/index.js';

/** Where a record was consumed from: the source topics, or the connector's retry topic. */
export type RecordOrigin = 'source' | 'retry';

/** How often a waiting parked record (an earlier one of its key is not applied yet) looks again. */
const WAITING_RECHECK_MS = 1000;

/**
 * Failures of the hub's own infrastructure (Redis, Kafka, the schema registry), not of the
 * event: they are retried in place until the infrastructure answers (or the worker stops),
 * without using up the event's tries or park rounds, and never dead-letter it. Parking would
 * not help: it needs Redis and Kafka too.
 */
const INFRASTRUCTURE: ReadonlyMap<string, InFlightStage> = new Map<string, InFlightStage>([
  [ERRORS.STATE_UNAVAILABLE.code, 'waiting for redis'],
  [ERRORS.BUS_PUBLISH.code, 'waiting for kafka'],
  [ERRORS.BUS_COMPACTED_LOG.code, 'waiting for kafka'],
  [ERRORS.SCHEMA_REGISTRY_UNAVAILABLE.code, 'waiting for the registry'],
]);

/** Backoff of those in-place retries: capped at 1 s, so work resumes within a second of the infrastructure's return. */
const INFRASTRUCTURE_BACKOFF = { initialMs: 200, maxMs: 1000 } as const;

/** An event nobody watches (no watchdog configured). */
const UNWATCHED: InFlightEvent = { stage: () => undefined, end: () => undefined };

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
  /** Prefixed source topics whose records may come without CloudEvents headers (headerlessTopics); default none. */
  readonly headerlessTopics?: ReadonlySet<string>;
  /** Watches every event in flight; the stage of each is reported to it. */
  readonly watchdog?: InFlightWatchdog;
  /** Where applied events sat, per key: a replayed dead letter older than an applied event of its key is refused. */
  readonly applied?: AppliedPositions;
  /** Kafka refused this connector's principal (an ACL is missing): the worker stops the connector. */
  readonly onAccessDenied?: (error: BusAccessDeniedError) => void;
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
 * event only when it heads its key's queue. A dead-lettered event leaves its queue, so the
 * events behind it go on without it; replaying it later is refused when a later event of its
 * key was applied meanwhile (`SWB_ERR_RUNTIME_REPLAY_STALE`, AppliedPositions), so a replay
 * never undoes newer state.
 *
 * Failures of Redis, Kafka or the registry are waited out in place (INFRASTRUCTURE); a missing
 * dependency is retried until `missingDependencyDeadlineMs` after its first failure, other
 * retriable failures for `maxParkRounds` rounds. Each event's stage goes to the watchdog.
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
   * While Redis is away this rejects (StateUnavailableError) and the consumer hands the records
   * over without it: each then asks Redis itself, waiting it out in place.
   */
  prepare(records: readonly ConsumedRecord[]): Promise<BatchLookups> {
    const { completed, parked, connector } = this.options;
    return BatchLookups.read(records, { completed, parked, connector: connector.name, produces: 'kind' in connector.target && connector.target.kind === 'topic' });
  }

  /**
   * Settles one record. On success its watch moves to `committing` (the consumer releases it
   * from the watchdog once the offset is recorded); on a failure the watch ends here.
   */
  async process(record: ConsumedRecord, from: RecordOrigin, signal: AbortSignal, lookups?: BatchLookups): Promise<void> {
    this.options.metrics.began();
    const watch = this.options.watchdog?.track(record) ?? UNWATCHED;
    let done = false;
    try {
      await this.handle(record, from, signal, watch, lookups);
      done = true;
    } catch (error) {
      if (error instanceof BusAccessDeniedError) this.options.onAccessDenied?.(error);
      throw error;
    } finally {
      this.options.metrics.ended();
      if (done) watch.stage('committing');
      else watch.end();
    }
  }

  private async handle(record: ConsumedRecord, from: RecordOrigin, signal: AbortSignal, watch: InFlightEvent, lookups: BatchLookups | undefined): Promise<void> {
    const { parked, metrics } = this.options;
    const key = record.key?.toString('utf8') ?? '';
    metrics.consumed();
    const parkId = record.headers[RUNTIME_HEADER.parkId];
    if (from === 'retry') {
      watch.stage('waiting until due');
      await this.waitUntilDue(record, signal);
      if (parkId && (await this.whenAvailable(watch, 'consumed', signal, () => parked.position(key, parkId))) === 'waiting') {
        // Not our turn: go round again, keeping the same round, id and first failure.
        watch.stage('parking');
        await this.options.sink.park(record, { ...this.parkedFailure(record), attempts: Number(record.headers[RUNTIME_HEADER.attempts] ?? 0), round: this.roundOf(record), nextAttemptAt: Date.now() + WAITING_RECHECK_MS, parkId, firstFailedAt: this.firstFailureOf(record) }, signal);
        return;
      }
    }
    const span = this.startSpan(record, key);
    const startedAt = performance.now();
    let outcome: ProcessOutcome | undefined;
    try {
      outcome = await this.settle(record, from, key, parkId, span, signal, watch, lookups);
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
  private async settle(
    record: ConsumedRecord, from: RecordOrigin, key: string, parkId: string | undefined, span: StartedSpan, signal: AbortSignal, watch: InFlightEvent, lookups: BatchLookups | undefined,
  ): Promise<ProcessOutcome> {
    const { parked, metrics } = this.options;
    if (from === 'source' && (lookups?.isParked(key) ?? (await this.whenAvailable(watch, 'consumed', signal, () => parked.isParked(key))))) {
      await this.park(record, key, failureOf(ERRORS.RUNTIME_KEY_PARKED.code, 'an earlier event of this key is parked; kept behind it'), 0, 0, Date.now(), span, signal, watch, undefined, undefined, lookups);
      return 'parked';
    }
    const stale = record.headers[RUNTIME_HEADER.replayOf] === undefined ? undefined : await this.staleReplay(record, key, watch, signal);
    const outcome: Outcome = stale ? { kind: 'failed', failure: stale, attempts: 0 } : await this.attempt(record, key, span, signal, watch, lookups);
    if (outcome.kind !== 'failed') {
      if (outcome.kind === 'applied') metrics.applied(record.headers.ce_time);
      else metrics.skipped(outcome.reason);
      if (parkId) await this.whenAvailable(watch, 'consumed', signal, () => parked.remove(key, parkId));
      return outcome.kind;
    }
    const { attempts } = outcome;
    const totalAttempts = attempts + Number(record.headers[RUNTIME_HEADER.attempts] ?? 0);
    const round = from === 'retry' ? this.roundOf(record) + 1 : 1;
    const firstFailedAt = this.firstFailureOf(record) ?? Date.now();
    const failure = this.finalFailure(outcome.failure, round, firstFailedAt);
    if (failure.retriable) {
      const { parkInitialMs, parkMaxMs } = this.options.connector.options;
      const nextAttemptAt = Date.now() + backoffDelay(round - 1, { initialMs: parkInitialMs, maxMs: parkMaxMs });
      await this.park(record, key, failure, totalAttempts, round, nextAttemptAt, span, signal, watch, parkId, firstFailedAt, lookups);
      return 'parked';
    }
    watch.stage('dead-lettering');
    await this.options.sink.deadLetter(record, failure, totalAttempts, signal);
    metrics.deadLettered();
    span.span.addEvent('dead-lettered', { [ATTR_SWITCHBOARD_ERROR_CODE]: failure.code, attempts: totalAttempts });
    failSpan(span.span, failure.code);
    if (parkId) await this.whenAvailable(watch, 'dead-lettering', signal, () => parked.remove(key, parkId));
    this.noteError(failure, record);
    this.options.logger.warn({ ...eventLogContext(record.headers), code: failure.code, attempts: totalAttempts, topic: record.topic, partition: record.partition, offset: record.offset }, `dead-lettered: ${failure.message}`);
    return 'dead_lettered';
  }

  /**
   * What a failed try leads to: the failure itself while it may still be retried (parked for
   * another round), or the failure to dead-letter. A missing dependency is retried until
   * `missingDependencyDeadlineMs` after the event's first failure, whatever the rounds; any
   * other retriable failure for `maxParkRounds` rounds.
   */
  private finalFailure(failure: FailureClass, round: number, firstFailedAt: number): FailureClass {
    if (!failure.retriable) return failure;
    const { maxParkRounds, missingDependencyDeadlineMs } = this.options.connector.options;
    if (failure.code === ERRORS.RUNTIME_MISSING_DEPENDENCY.code) {
      const waited = Date.now() - firstFailedAt;
      if (waited < missingDependencyDeadlineMs) return failure;
      return failureOf(ERRORS.RUNTIME_DEPENDENCY_DEADLINE.code, `still missing ${Math.round(waited / 1000)} s after the first try (deadline ${Math.round(missingDependencyDeadlineMs / 1000)} s, ${round - 1} rounds): ${failure.message}`);
    }
    return round <= maxParkRounds ? failure : { ...failure, retriable: false };
  }

  /**
   * A replayed dead letter whose key had a later event applied since (same source partition,
   * higher offset): the failure that refuses it. Undefined when the replay may go on.
   */
  private async staleReplay(record: ConsumedRecord, key: string, watch: InFlightEvent, signal: AbortSignal): Promise<FailureClass | undefined> {
    const applied = this.options.applied;
    if (!applied || key === '') return undefined;
    const origin = originOf(record);
    const latest = await this.whenAvailable(watch, 'consumed', signal, () => applied.latest(origin.topic, key));
    if (!latest || latest.partition !== origin.partition || latest.offset <= BigInt(origin.offset)) return undefined;
    return failureOf(
      ERRORS.RUNTIME_REPLAY_STALE.code,
      `replay refused: a later event of key ${key} was applied (${origin.topic} partition ${latest.partition} offset ${latest.offset}) after this one (offset ${origin.offset}); applying it now would undo that`,
    );
  }

  /** Tries the event up to maxAttempts times in this worker, with backoff between tries; infrastructure failures are waited out without counting. */
  private async attempt(record: ConsumedRecord, key: string, span: StartedSpan, signal: AbortSignal, watch: InFlightEvent, lookups: BatchLookups | undefined): Promise<Outcome> {
    const { maxAttempts, retryInitialMs, retryMaxMs } = this.options.connector.options;
    const infrastructure = new Backoff(INFRASTRUCTURE_BACKOFF);
    let last: FailureClass | undefined;
    for (let attempt = 1; attempt <= maxAttempts; ) {
      if (signal.aborted) throw new ConsumerStoppingError();
      try {
        return await this.applyOnce(record, key, attempt, span, signal, watch, lookups);
      } catch (error) {
        if (error instanceof ConsumerStoppingError || signal.aborted) throw new ConsumerStoppingError();
        last = classifyFailure(error);
        const waiting = INFRASTRUCTURE.get(last.code);
        if (waiting) {
          // Not the event's fault: wait for the infrastructure, then try again (no try used up).
          this.noteError(last, record);
          this.options.metrics.retried();
          watch.stage(waiting);
          await sleep(infrastructure.next(), signal);
          continue;
        }
        if (!last.retriable) return { kind: 'failed', failure: last, attempts: attempt };
        this.noteError(last, record);
        span.span.addEvent('attempt failed', { [ATTR_SWITCHBOARD_ERROR_CODE]: last.code, attempt });
        if (attempt < maxAttempts) {
          this.options.metrics.retried();
          watch.stage('backing off');
          await sleep(backoffDelay(attempt - 1, { initialMs: retryInitialMs, maxMs: retryMaxMs }), signal);
        }
        attempt++;
      }
    }
    return { kind: 'failed', failure: last as FailureClass, attempts: maxAttempts };
  }

  /**
   * Runs one Redis (or Kafka) step of the runtime's own, outside an event's tries: while the
   * infrastructure is away it waits and tries again (the watch shows what it waits for), until
   * it answers or the worker stops. Other failures are thrown as they are.
   */
  private async whenAvailable<T>(watch: InFlightEvent, stage: InFlightStage, signal: AbortSignal, step: () => Promise<T>): Promise<T> {
    const backoff = new Backoff(INFRASTRUCTURE_BACKOFF);
    for (;;) {
      watch.stage(stage);
      try {
        return await step();
      } catch (error) {
        const waiting = isSwitchboardError(error) ? INFRASTRUCTURE.get(error.code) : undefined;
        if (!waiting || !isSwitchboardError(error)) throw error;
        if (signal.aborted) throw new ConsumerStoppingError();
        // The worker's status says what it waits for (lastError), as for a failure inside a try.
        this.options.metrics.noteError({ code: error.code, message: error.message, at: new Date().toISOString(), eventId: undefined });
        // A step of the event repeated after a retriable failure: counted as a try inside one is
        // (with reads batched per fetch, most of an event's Redis steps happen out here).
        this.options.metrics.retried();
        watch.stage(waiting);
        await sleep(backoff.next(), signal);
        if (signal.aborted) throw new ConsumerStoppingError();
      }
    }
  }

  private async applyOnce(record: ConsumedRecord, key: string, attempt: number, span: StartedSpan, signal: AbortSignal, watch: InFlightEvent, lookups: BatchLookups | undefined): Promise<Outcome> {
    watch.stage('consumed');
    let metadata: EventMetadata | undefined;
    try {
      metadata = fromEventHeaders(record.headers);
    } catch (error) {
      // Foreign producers (docs/foreign-producers.md): a topic may accept plain records; their metadata comes after decoding.
      if (!(this.options.headerlessTopics?.has(originOf(record).topic) && hasNoCloudEventsHeaders(record.headers))) {
        throw new InvalidRecordError(`record has no usable CloudEvents headers: ${(error as Error).message}`, { cause: error });
      }
    }
    if (record.value === null) throw new InvalidRecordError('record has no value (tombstone)');
    // Synchronous once the writer schema is known: no await per event after warm-up.
    const decoded = this.options.codec.decodeEventSync(record.value) ?? (await this.options.codec.decodeEvent(record.value));
    metadata ??= headerlessMetadata(record, decoded.fullName);
    if (!this.handled.has(decoded.fullName)) return { kind: 'skipped', reason: 'unhandled_type' };
    const idempotencyKey = `${this.options.connector.name}:${metadata.id}`;
    if (lookups?.takeEventDone(record) ?? (await this.options.completed.has(idempotencyKey))) return { kind: 'skipped', reason: 'duplicate' };

    const event = { metadata, type: decoded.fullName, value: decoded.value, key } as ConnectorEvent;
    let actions;
    watch.stage('mapping');
    try {
      actions = await this.current.map(event, { connector: this.options.connector.name, attempt, xref: this.options.xref });
    } catch (error) {
      throw asMappingFailure(error);
    }
    // The effects are children of this process span: calls and produced events carry its context.
    const cause: EventMetadata = { id: metadata.id, source: metadata.source, type: metadata.type, time: metadata.time, correlationId: metadata.correlationId, causationId: metadata.causationId, traceparent: span.traceparent };
    const lastProduced = await this.options.executor.execute(actions, cause, idempotencyKey, undefined, (stage) => watch.stage(stage), lookups?.takeFirstProduceDone(record));
    // The effects are done: a Redis outage now must not make them run again, so wait for it here.
    await this.whenAvailable(watch, 'committing', signal, () => this.markApplied(record, key, idempotencyKey, lastProduced));
    return { kind: 'applied' };
  }

  /**
   * Records the completed key (with the mark of the event produced last, when the executor left
   * it unwritten: CompletedKeys writes both in one round trip, that one first) and, for
   * stale-replay detection, where the event sat on its source.
   */
  private async markApplied(record: ConsumedRecord, key: string, idempotencyKey: string, lastProduced: string | undefined): Promise<void> {
    const { completed, applied } = this.options;
    const marks: Promise<unknown>[] = [];
    if (lastProduced !== undefined) marks.push(completed.add(lastProduced));
    marks.push(completed.add(idempotencyKey));
    if (applied && key !== '') {
      const origin = originOf(record);
      marks.push(applied.record(origin.topic, key, origin.partition, origin.offset));
    }
    await Promise.all(marks);
  }

  private async park(
    record: ConsumedRecord, key: string, failure: FailureClass, attempts: number, round: number, nextAttemptAt: number,
    span: StartedSpan, signal: AbortSignal, watch: InFlightEvent, existingParkId?: string, firstFailedAt?: number, lookups?: BatchLookups,
  ): Promise<void> {
    const parkId = existingParkId ?? `${record.topic}:${record.partition}:${record.offset}`;
    // Queue first: if the write below never happens, the record is redelivered and parked again with the same id.
    await this.whenAvailable(watch, 'parking', signal, () => this.options.parked.enqueue(key, parkId));
    lookups?.noteParked(key);
    await this.options.sink.park(record, { failure, attempts, round, nextAttemptAt, parkId, firstFailedAt }, signal);
    this.options.metrics.parked();
    span.span.addEvent('parked', { [ATTR_SWITCHBOARD_ERROR_CODE]: failure.code, attempts, round, 'switchboard.next_attempt_at': new Date(nextAttemptAt).toISOString() });
    // The first park of an event is worth a line; later rounds show in the parked and retried counters.
    if (failure.code !== ERRORS.RUNTIME_KEY_PARKED.code) {
      this.options.logger[round <= 1 ? 'warn' : 'debug']({ ...eventLogContext(record.headers), code: failure.code, attempts, round }, `parked for retry: ${failure.message}`);
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

  /** When the event first failed, as its earlier rounds recorded it; undefined before its first failure. */
  private firstFailureOf(record: ConsumedRecord): number | undefined {
    const at = Number(record.headers[RUNTIME_HEADER.firstFailedAt]);
    return Number.isFinite(at) && at > 0 ? at : undefined;
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
