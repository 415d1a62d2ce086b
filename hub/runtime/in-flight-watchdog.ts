import type { ConsumedRecord } from '../bus/index.js';
import type { Logger } from '../log/logger.js';
import { eventLogContext } from './record-headers.js';

/**
 * Where an in-flight event is. `waiting until due` (a parked record waiting for its time) is
 * the one stage that may last long on purpose; the watchdog does not time it.
 */
export type InFlightStage =
  | 'consumed'
  | 'waiting until due'
  | 'mapping'
  | 'calling target'
  | 'producing'
  | 'writing cross-reference'
  | 'backing off'
  | 'waiting for redis'
  | 'waiting for kafka'
  | 'waiting for the registry'
  | 'parking'
  | 'dead-lettering'
  | 'committing';

/** One event in flight for longer than the deadline, as the worker status reports it. */
export interface StalledEvent {
  readonly key: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly eventId: string | undefined;
  readonly stage: InFlightStage;
  /** How long it has been in that stage (or, for an event retrying in place, since its first retry), in ms, when the status was taken. */
  readonly stageMs: number;
}

/** One event being handled: move it from stage to stage, and `end()` it once it is settled. */
export interface InFlightEvent {
  stage(stage: InFlightStage): void;
  end(): void;
}

export interface InFlightWatchdogOptions {
  /** How long one stage of one event may last before it counts as stalled. */
  readonly deadlineMs: number;
  readonly logger: Logger;
  /** An event passed the deadline (called once per event and stage). */
  readonly onStall?: (event: StalledEvent) => void;
  /** The number of stalled events in flight changed (0 once every stalled event settled). */
  readonly onStalledCount?: (count: number) => void;
  /** An event left `stage` after `ms` (moved on, or released): where events spend their time, for the metrics. */
  readonly onStageEnded?: (stage: InFlightStage, ms: number) => void;
  /** How often to look; default a quarter of the deadline, at most 5 s. */
  readonly checkIntervalMs?: number;
  /** The clock, epoch ms; tests pass their own. Default Date.now. */
  readonly now?: () => number;
}

interface Entry {
  readonly record: ConsumedRecord;
  readonly key: string;
  stage: InFlightStage;
  stageSince: number;
  /** The stage this entry was reported stalled in, if it was. */
  reported: InFlightStage | undefined;
  /** When the event first had to retry (see RETRYING), and the retry stage it was in last; undefined before. */
  retryingSince: number | undefined;
  retryStage: InFlightStage | undefined;
}

const UNTIMED: ReadonlySet<InFlightStage> = new Set(['waiting until due']);

/**
 * Stages of an event that failed and tries again in place. Each try walks through the other
 * stages again (consumed, mapping, calling target, ...), so timing the current stage alone
 * never sees an event that retries for ever (Kafka refusing every produce, a target that
 * always times out): from its first retry on, the event is also timed as a whole.
 */
const RETRYING: ReadonlySet<InFlightStage> = new Set(['backing off', 'waiting for redis', 'waiting for kafka', 'waiting for the registry']);

/**
 * Watches every event a connector worker holds, from consumed to committed. An event whose
 * current stage lasts longer than the deadline is logged once (key, stage, position, event
 * id), counted (`onStall`), and listed by {@link stalled} until it settles, so the worker
 * status turns STALL instead of a connector sitting silently with lag. Why: an await without
 * a timeout (a Redis command on a dead socket, a produce while the broker is away, a hung
 * target) holds a partition's commit back without any error, retry or log line.
 *
 * @example
 * ```ts
 * const watchdog = new InFlightWatchdog({ deadlineMs: 60_000, logger });
 * watchdog.start();
 * const event = watchdog.track(record);
 * event.stage('calling target');
 * event.end();
 * watchdog.stop();
 * ```
 */
export class InFlightWatchdog {
  private readonly entries = new Map<ConsumedRecord, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private stalledCount = 0;
  private readonly now: () => number;

  constructor(private readonly options: InFlightWatchdogOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    const interval = this.options.checkIntervalMs ?? Math.min(5000, Math.max(50, Math.floor(this.options.deadlineMs / 4)));
    this.timer = setInterval(() => this.check(), interval);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Starts watching `record` (stage `consumed`). */
  track(record: ConsumedRecord): InFlightEvent {
    const entry: Entry = { record, key: record.key?.toString('utf8') ?? '', stage: 'consumed', stageSince: this.now(), reported: undefined, retryingSince: undefined, retryStage: undefined };
    this.entries.set(record, entry);
    return {
      stage: (stage) => {
        if (entry.stage === stage) return;
        const now = this.now();
        this.options.onStageEnded?.(entry.stage, now - entry.stageSince);
        entry.stage = stage;
        entry.stageSince = now;
        if (RETRYING.has(stage)) {
          entry.retryingSince ??= entry.stageSince;
          entry.retryStage = stage;
        } else if (stage === 'committing') {
          // The effects are done: the retries are over.
          entry.retryingSince = undefined;
          entry.retryStage = undefined;
        }
      },
      end: () => this.release(record),
    };
  }

  /** Stops watching `record` (settled and committed, or given up); harmless when not watched. */
  release(record: ConsumedRecord): void {
    const entry = this.entries.get(record);
    if (!entry) return;
    this.entries.delete(record);
    this.options.onStageEnded?.(entry.stage, this.now() - entry.stageSince);
    if (entry.reported !== undefined) {
      this.options.logger.info({ ...eventLogContext(entry.record.headers), key: entry.key, stage: entry.stage }, 'a stalled event settled');
      this.recount();
    }
  }

  /** Events in flight past the deadline in their current stage, longest first (at most `limit`). */
  stalled(limit = 10): StalledEvent[] {
    const now = this.now();
    return [...this.entries.values()]
      .filter((entry) => this.isStalled(entry, now))
      .sort((a, b) => a.stageSince - b.stageSince)
      .slice(0, limit)
      .map((entry) => this.view(entry, now));
  }

  /** Events in flight right now. */
  get size(): number {
    return this.entries.size;
  }

  /** Looks at every entry once; runs on the timer, callable by tests. */
  check(): void {
    const now = this.now();
    for (const entry of this.entries.values()) {
      if (!this.isStalled(entry, now) || entry.reported === this.stalledStage(entry, now)) continue;
      entry.reported = this.stalledStage(entry, now);
      const event = this.view(entry, now);
      this.options.logger.warn(
        { ...eventLogContext(entry.record.headers), key: event.key, stage: event.stage, topic: event.topic, partition: event.partition, offset: event.offset, stage_ms: event.stageMs },
        `event in flight past its deadline: ${event.stage} for ${Math.round(event.stageMs / 1000)} s`,
      );
      this.options.onStall?.(event);
    }
    this.recount();
  }

  private recount(): void {
    const now = this.now();
    let count = 0;
    for (const entry of this.entries.values()) if (entry.reported !== undefined && this.isStalled(entry, now)) count++;
    if (count !== this.stalledCount) {
      this.stalledCount = count;
      this.options.onStalledCount?.(count);
    }
  }

  private isStalled(entry: Entry, now: number): boolean {
    return !UNTIMED.has(entry.stage) && (now - entry.stageSince > this.options.deadlineMs || this.retryingTooLong(entry, now));
  }

  private retryingTooLong(entry: Entry, now: number): boolean {
    return entry.retryingSince !== undefined && now - entry.retryingSince > this.options.deadlineMs;
  }

  /** The stage a stalled event is reported in: its current one, or, when it retried too long, the retry stage it was in last. */
  private stalledStage(entry: Entry, now: number): InFlightStage {
    return now - entry.stageSince <= this.options.deadlineMs && this.retryingTooLong(entry, now) ? (entry.retryStage as InFlightStage) : entry.stage;
  }

  private view(entry: Entry, now: number): StalledEvent {
    const retrying = now - entry.stageSince <= this.options.deadlineMs && this.retryingTooLong(entry, now);
    return {
      key: entry.key,
      topic: entry.record.topic,
      partition: entry.record.partition,
      offset: entry.record.offset,
      eventId: entry.record.headers.ce_id,
      stage: this.stalledStage(entry, now),
      stageMs: now - (retrying ? (entry.retryingSince as number) : entry.stageSince),
    };
  }
}
