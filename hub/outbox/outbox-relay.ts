import { type BusProducer, type OutgoingRecord } from '../bus/index.js';
import { ERRORS, isRetriable, isSwitchboardError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { Backoff, sleep, type BackoffOptions } from '../retry/backoff.js';
import { failSpan, startSendSpan, type StartedSpan } from '../telemetry/index.js';
import type { AvroCodec } from '../schema/codec/avro-codec.js';
import type { Outbox, OutboxRow } from '../service/outbox.js';
import { OutboxRowError } from './errors.js';
import { parsePayload, routeOf, toOutgoingRecord, type EventRoute } from './records.js';

/** What the relay needs of the outbox (hub/service's Outbox has all of it). */
export type OutboxSource = Pick<Outbox, 'readUnsent' | 'markSent' | 'pruneSent' | 'backlog' | 'onCommitted'>;
/** What the relay needs of the bus. */
export type RecordPublisher = Pick<BusProducer, 'sendAll'>;
/** What the relay needs of the codec. */
export type EventEncoder = Pick<AvroCodec, 'prepare' | 'encodeSync'>;

/** Settings of an {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  readonly outbox: OutboxSource;
  /** Shared with the rest of the process is fine; the relay never closes it. */
  readonly producer: RecordPublisher;
  readonly codec: EventEncoder;
  readonly logger: Logger;
  /** Prefix of topics and subjects (test isolation); default ''. */
  readonly topicPrefix?: string;
  /** Rows read and published per produce request; default 500. */
  readonly batchSize?: number;
  /**
   * Interval of the safety-net check for unsent rows that no commit announced (rows left by
   * a crashed process, another process writing the same database); default 1000 ms. The hot
   * path does not wait for it: every commit wakes the relay at once.
   */
  readonly fallbackIntervalMs?: number;
  /** How often sent rows are pruned; default 60 000 ms. 0 disables pruning. */
  readonly pruneIntervalMs?: number;
  /** Sent rows older than this are pruned; default 3 600 000 ms (1 h). */
  readonly pruneAgeMs?: number;
  /** Delays between attempts while Kafka or the registry is unavailable; default 100 ms doubling to 1 s, with jitter. */
  readonly backoff?: BackoffOptions;
  /** After a row that cannot be published, how long before looking at it again (an operator may fix it); default 30 000 ms. */
  readonly haltedRecheckMs?: number;
}

/** What the relay is doing. */
export type OutboxRelayState = 'idle' | 'publishing' | 'backing-off' | 'halted' | 'stopped';

/** The last failure the relay met. */
export interface OutboxRelayError {
  readonly code: string;
  readonly message: string;
  /** The event of the row that failed, for row-specific failures. */
  readonly eventId?: string;
  /** Epoch ms. */
  readonly at: number;
}

/** A snapshot for `/metrics` and health checks. */
export interface OutboxRelayStatus {
  readonly state: OutboxRelayState;
  /** Rows not yet published (a count over the outbox table). */
  readonly backlog: number;
  /** Rows this relay published since it started. */
  readonly sent: number;
  /** The most recent failure, cleared by the next successful publish; null when none. */
  readonly lastError: OutboxRelayError | null;
  /** Epoch ms of the last acknowledged batch; null before the first. */
  readonly lastSentAt: number | null;
}

/** Stop pumping: the relay is stopping or halted. */
const HALT = Symbol('halt');

/**
 * Publishes a service's transactional outbox to Kafka.
 *
 * Each commit that wrote events wakes the relay (no polling delay on the hot path); it reads
 * the oldest unsent rows (at most `batchSize`), encodes each payload into Avro in the Confluent
 * wire format, sends the whole batch as ONE `sendAll` (one request in flight, so records with
 * the same key stay in commit order), and marks the rows sent once the broker acknowledged
 * them (acks=all). Under load, rows committed while a batch is in flight form the next batch.
 *
 * Tracing: each event gets a `send <topic>` span, a CHILD of the `create` span whose context
 * the row stores (not a link: the relay sends each event on behalf of the request that wrote
 * it, in the same process and trace, so the chain request → create → send → process reads as
 * one line), and the record's `traceparent` header is that send span's, so consumers' `process`
 * spans hang below it. A batch that fails ends its spans failed; the retry makes new ones.
 *
 * Delivery is at-least-once: a crash between the acknowledgement and `markSent` means the
 * next relay sends those rows again, with the same `ce_id`, which every consumer deduplicates on.
 * While Kafka or the registry is unavailable the service keeps committing; the relay retries
 * the same rows with exponential backoff and jitter (up to ~1 s) and publishes the backlog
 * when they return. A row that cannot be encoded (a bug in the service that wrote it) stops
 * the relay before that row — publishing past it would break the order of its key — is logged
 * at error with its event id and code, and shows in `status()`.
 *
 * @example
 * ```ts
 * const relay = new OutboxRelay({ outbox, producer, codec, logger: logger.child({ component: 'outbox-relay' }) });
 * relay.start();
 * // ... on shutdown:
 * await relay.stop();      // finishes the batch in flight
 * await producer.close();
 * ```
 */
export class OutboxRelay {
  private readonly outbox: OutboxSource;
  private readonly producer: RecordPublisher;
  private readonly codec: EventEncoder;
  private readonly logger: Logger;
  private readonly prefix: string;
  private readonly batchSize: number;
  private readonly fallbackIntervalMs: number;
  private readonly pruneIntervalMs: number;
  private readonly pruneAgeMs: number;
  private readonly haltedRecheckMs: number;
  private readonly backoff: Backoff;
  private readonly routes = new Map<string, EventRoute>();
  private readonly prepared = new Set<string>();

  private state: OutboxRelayState = 'stopped';
  private started = false;
  private stopping = false;
  private abort = new AbortController();
  private unsubscribe: (() => void) | undefined;
  private fallbackTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  /** The running pump; at most one. */
  private pumping: Promise<void> | undefined;
  /** A wake-up arrived while pumping: read again before going idle. */
  private wanted = false;
  private scheduled = false;
  private haltedUntil = 0;
  private readonly reportedRows = new Set<string>();

  private sent = 0;
  private lastSentAt: number | null = null;
  private lastError: OutboxRelayError | null = null;

  constructor(options: OutboxRelayOptions) {
    this.outbox = options.outbox;
    this.producer = options.producer;
    this.codec = options.codec;
    this.logger = options.logger;
    this.prefix = options.topicPrefix ?? '';
    this.batchSize = options.batchSize ?? 500;
    this.fallbackIntervalMs = options.fallbackIntervalMs ?? 1000;
    this.pruneIntervalMs = options.pruneIntervalMs ?? 60_000;
    this.pruneAgeMs = options.pruneAgeMs ?? 3_600_000;
    this.haltedRecheckMs = options.haltedRecheckMs ?? 30_000;
    // Capped at 1 s: once Kafka is back the backlog goes out within a second (docs/guarantees.md, "A broker outage").
    this.backoff = new Backoff({ initialMs: 100, maxMs: 1000, ...options.backoff });
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${this.batchSize}`);
  }

  /** Subscribes to commits, starts the fallback and prune timers, and publishes what is already waiting. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.abort = new AbortController();
    this.state = 'idle';
    this.unsubscribe = this.outbox.onCommitted(() => this.wake());
    this.fallbackTimer = setInterval(() => this.wake(), this.fallbackIntervalMs);
    if (this.pruneIntervalMs > 0) this.pruneTimer = setInterval(() => this.prune(), this.pruneIntervalMs);
    this.wake();
  }

  /**
   * Stops waking, interrupts a backoff wait, and resolves once the batch in flight (if any)
   * was acknowledged and marked sent, or failed. Rows not yet read stay for the next start.
   */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    this.abort.abort();
    this.unsubscribe?.();
    clearInterval(this.fallbackTimer);
    clearInterval(this.pruneTimer);
    await this.pumping;
    this.started = false;
    this.state = 'stopped';
  }

  /** A snapshot: state, backlog, rows sent, last error, last acknowledgement. */
  status(): OutboxRelayStatus {
    let backlog = -1;
    try {
      backlog = this.outbox.backlog();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not count the outbox backlog');
    }
    return { state: this.state, backlog, sent: this.sent, lastError: this.lastError, lastSentAt: this.lastSentAt };
  }

  /** Deletes sent rows older than `pruneAgeMs`; returns how many. Runs on its own timer too. */
  prune(): number {
    try {
      const pruned = this.outbox.pruneSent(this.pruneAgeMs);
      if (pruned > 0) this.logger.debug({ pruned }, 'pruned sent outbox rows');
      return pruned;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not prune the outbox');
      return 0;
    }
  }

  /** Asks for a pass over the outbox; cheap and coalescing, safe to call from a commit hook. */
  private wake(): void {
    if (!this.started || this.stopping) return;
    if (this.state === 'halted' && Date.now() < this.haltedUntil) return;
    if (this.pumping) {
      this.wanted = true;
      return;
    }
    if (this.scheduled) return;
    // Not inline: the commit hook runs inside the service's request, which should not encode our batch.
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.started || this.stopping || this.pumping) return;
      this.pumping = this.pump().finally(() => {
        this.pumping = undefined;
        // A commit between the pump's last look and now would otherwise wait for the fallback timer.
        if (this.wanted) this.wake();
      });
    });
  }

  private async pump(): Promise<void> {
    try {
      do {
        this.wanted = false;
        let read: number;
        // A full batch means more may wait: read again at once.
        do read = await this.publishBatch();
        while (read === this.batchSize && !this.stopping);
      } while (this.wanted && !this.stopping);
      if (!this.stopping) this.state = 'idle';
    } catch (error) {
      if (error === HALT) return;
      // publishBatch handles what it expects; anything else waits for the next wake-up.
      this.lastError = toRelayError(error);
      this.state = 'idle';
      this.logger.error({ err: error }, 'outbox relay pass failed unexpectedly');
    }
  }

  /** Publishes the oldest unsent rows; returns how many were read. Retries retriable failures itself. */
  private async publishBatch(): Promise<number> {
    for (;;) {
      if (this.stopping) throw HALT;
      let rows: OutboxRow[];
      try {
        rows = this.outbox.readUnsent(this.batchSize);
      } catch (error) {
        await this.retryLater(error, 'could not read the outbox');
        continue;
      }
      if (rows.length === 0) return 0;
      this.state = 'publishing';

      let records: OutgoingRecord[];
      let spans: StartedSpan[];
      let poison: OutboxRowError | undefined;
      try {
        ({ records, spans, poison } = await this.encode(rows));
      } catch (error) {
        await this.retryLater(error, 'could not prepare the schemas of outbox events');
        continue;
      }
      const publishable = rows.slice(0, records.length);

      if (records.length > 0) {
        try {
          await this.producer.sendAll(records);
        } catch (error) {
          endSpans(spans, isSwitchboardError(error) ? error.code : 'publish failed');
          if (!isRetriable(error)) this.halt(error);
          await this.retryLater(error, 'could not publish outbox events');
          continue;
        }
        endSpans(spans);
        try {
          this.outbox.markSent(publishable.map((row) => row.seq));
        } catch (error) {
          // Published but not marked: the rows go out again, with the same ce_id.
          await this.retryLater(error, 'could not mark outbox rows sent');
          continue;
        }
        this.sent += records.length;
        this.lastSentAt = Date.now();
        if (this.backoff.attempts > 0) this.logger.info({ attempts: this.backoff.attempts }, 'outbox publishing resumed');
        this.backoff.reset();
        if (!poison) this.lastError = null;
      }
      if (poison) this.halt(poison);
      return rows.length;
    }
  }

  /**
   * Encodes rows in order up to the first that cannot be encoded (returned as `poison`).
   * Throws only retriable failures (the registry is unreachable).
   */
  private async encode(rows: readonly OutboxRow[]): Promise<{ records: OutgoingRecord[]; spans: StartedSpan[]; poison?: OutboxRowError }> {
    const records: OutgoingRecord[] = [];
    const spans: StartedSpan[] = [];
    for (const row of rows) {
      try {
        const route = this.route(row);
        if (!this.prepared.has(route.subject)) {
          await this.codec.prepare(route.subject);
          this.prepared.add(route.subject);
        }
        const value = parsePayload(row);
        let bytes: Buffer | undefined;
        try {
          bytes = this.codec.encodeSync(route.subject, value);
        } catch (error) {
          throw new OutboxRowError(row, describe(error), error);
        }
        if (!bytes) throw new OutboxRowError(row, `the codec has no schema id for ${route.subject}`);
        const send = startSendSpan({ topic: route.topic, key: row.key, eventId: row.eventId, eventType: route.ceType }, row.traceparent);
        spans.push(send);
        records.push(toOutgoingRecord({ ...row, traceparent: send.traceparent }, route, bytes));
      } catch (error) {
        if (isRetriable(error)) {
          endSpans(spans, 'not sent: registry unavailable');
          throw error;
        }
        const poison = error instanceof OutboxRowError ? error : new OutboxRowError(row, describe(error), error);
        return { records, spans, poison };
      }
    }
    return { records, spans };
  }

  private route(row: OutboxRow): EventRoute {
    const cacheKey = `${row.system}/${row.aggregate}/${row.eventType}`;
    let route = this.routes.get(cacheKey);
    if (!route) {
      route = routeOf(row, this.prefix);
      this.routes.set(cacheKey, route);
    }
    return route;
  }

  /** Records a retriable failure and waits the next backoff delay (cut short by stop). */
  private async retryLater(error: unknown, message: string): Promise<void> {
    const attempt = this.backoff.attempts;
    this.lastError = toRelayError(error);
    this.state = 'backing-off';
    const delay = this.backoff.next();
    // An outage is worth one warning and a reminder now and then, not a line per retry.
    const level = attempt === 0 || attempt % 20 === 0 ? 'warn' : 'debug';
    this.logger[level]({ err: error, code: this.lastError.code, attempt: attempt + 1, delayMs: delay }, `${message}; retrying`);
    await sleep(delay, this.abort.signal);
  }

  /** Stops pumping on a failure that retrying cannot fix; looks again after `haltedRecheckMs`. */
  private halt(error: unknown): never {
    this.lastError = toRelayError(error);
    this.state = 'halted';
    this.haltedUntil = Date.now() + this.haltedRecheckMs;
    const key = this.lastError.eventId ?? this.lastError.code;
    if (!this.reportedRows.has(key)) {
      this.reportedRows.add(key);
      this.logger.error(
        { err: error, code: this.lastError.code, event_id: this.lastError.eventId },
        'outbox relay halted: an event cannot be published; rows after it wait until it is fixed',
      );
    }
    throw HALT;
  }
}

/** Ends the send spans of a batch: acknowledged, or failed with a short reason. */
function endSpans(spans: readonly StartedSpan[], failure?: string): void {
  for (const { span } of spans) {
    if (failure) failSpan(span, failure);
    span.end();
  }
}

function toRelayError(error: unknown): OutboxRelayError {
  return {
    code: isSwitchboardError(error) ? error.code : ERRORS.OUTBOX_UNEXPECTED.code,
    message: error instanceof Error ? error.message : String(error),
    ...(error instanceof OutboxRowError ? { eventId: error.eventId } : {}),
    at: Date.now(),
  };
}

function describe(error: unknown): string {
  if (isSwitchboardError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
