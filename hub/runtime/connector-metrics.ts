import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from '../telemetry/index.js';
import type { InFlightStage } from './in-flight-watchdog.js';
import type { PartitionLag, WorkerStatus } from './status.js';
import type { WorkerStats } from './worker-stats.js';

/** How one event's handling ended, as the processing-duration histogram labels it. */
export type ProcessOutcome = 'applied' | 'skipped' | 'parked' | 'dead_lettered';

/** Why an event was skipped: already applied (a redelivery), or a type the connector does not handle. */
export type SkipReason = 'duplicate' | 'unhandled_type';

const registers = [metricsRegistry];
const byConnector = ['connector'] as const;

const consumed = new Counter({ name: 'switchboard_connector_events_consumed_total', help: 'Records a connector took from its source and retry topics.', labelNames: byConnector, registers });
const applied = new Counter({ name: 'switchboard_connector_events_applied_total', help: 'Events whose effects were all applied.', labelNames: byConnector, registers });
const retried = new Counter({ name: 'switchboard_connector_events_retried_total', help: 'Tries of an event repeated inside the worker after a retriable failure.', labelNames: byConnector, registers });
const parked = new Counter({ name: 'switchboard_connector_events_parked_total', help: 'Events written to the connector\'s retry topic (failed for now, or held behind an earlier parked event of their key).', labelNames: byConnector, registers });
const deadLettered = new Counter({ name: 'switchboard_connector_events_dead_lettered_total', help: 'Events written to the connector\'s dead-letter topic.', labelNames: byConnector, registers });
const skipped = new Counter({
  name: 'switchboard_connector_events_skipped_total',
  help: 'Events skipped: reason="duplicate" was applied before (a redelivery), reason="unhandled_type" is a type the connector does not handle.',
  labelNames: ['connector', 'reason'] as const,
  registers,
});
const duration = new Histogram({
  name: 'switchboard_connector_processing_duration_seconds',
  help: 'Time from taking up an event to its settled outcome (tries and backoff included; a parked event\'s wait for its turn not).',
  labelNames: ['connector', 'outcome'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers,
});
const age = new Histogram({
  name: 'switchboard_connector_event_age_seconds',
  help: 'Age of an event when its effects were applied: now minus its ce_time.',
  labelNames: byConnector,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
  registers,
});
const stageSeconds = new Counter({
  name: 'switchboard_connector_stage_seconds_total',
  help: 'Time events spent in each stage of their handling (consumed, mapping, calling target, producing, writing cross-reference, committing, ...), summed over events: divided by the events applied, where an event\'s time goes.',
  labelNames: ['connector', 'stage'] as const,
  registers,
});
const stalledTotal = new Counter({
  name: 'switchboard_connector_events_stalled_total',
  help: 'Events found in one stage (mapping, calling the target, producing, parking, committing, ...) for longer than the connector\'s stallTimeoutMs; each counted once per stage.',
  labelNames: byConnector,
  registers,
});
const stalledNow = new Gauge({ name: 'switchboard_connector_events_stalled', help: 'Events in flight past the stall deadline right now, in this process.', labelNames: byConnector, registers });
const inFlight = new Gauge({ name: 'switchboard_connector_events_in_flight', help: 'Records a connector\'s workers in this process hold and have not settled yet.', labelNames: byConnector, registers });
const lag = new Gauge({
  name: 'switchboard_connector_consumer_lag',
  help: 'Records of a source partition not yet settled by the connector (end offset minus committed offset), per partition this process\'s workers own; measured every status interval.',
  labelNames: ['connector', 'topic', 'partition'] as const,
  registers,
});
const workers = new Gauge({
  name: 'switchboard_connector_workers',
  help: 'Workers of a connector in this process, by state (starting, running, stalled, paused, resetting, stopping, failed).',
  labelNames: ['connector', 'state'] as const,
  registers,
});

const STATES: readonly WorkerStatus['state'][] = ['starting', 'running', 'stalled', 'paused', 'resetting', 'stopping', 'failed'];

/**
 * The numbers of one connector worker, counted once: each method bumps the worker's own
 * `WorkerStats` (status in Redis, tests' `statsWhen`) and the Prometheus series of the
 * connector (`switchboard_connector_*`, labelled `connector`; lag also by topic and partition).
 * Every counter of the connector exists from the worker's start, at 0, so `increase()` sees the
 * first dead letter.
 *
 * @example
 * ```ts
 * const metrics = new ConnectorMetrics('crm-order-to-erp', stats);
 * metrics.began();
 * metrics.consumed();
 * const startedAt = performance.now();
 * // ... work ...
 * metrics.applied(event.metadata.time);
 * metrics.settled('applied', startedAt);
 * metrics.ended();
 * ```
 */
export class ConnectorMetrics {
  private readonly series;
  private lagLabels: { topic: string; partition: string }[] = [];
  private state: WorkerStatus['state'] | undefined;
  private stalledCount = 0;
  /** The stage-time counter's child per stage, bound on first use. */
  private readonly stages = new Map<InFlightStage, Counter.Internal>();

  constructor(readonly connector: string, private readonly stats: WorkerStats) {
    const labels = { connector };
    this.series = {
      consumed: consumed.labels(labels),
      applied: applied.labels(labels),
      retried: retried.labels(labels),
      parked: parked.labels(labels),
      deadLettered: deadLettered.labels(labels),
      duplicate: skipped.labels({ connector, reason: 'duplicate' }),
      unhandled: skipped.labels({ connector, reason: 'unhandled_type' }),
      age: age.labels(labels),
      inFlight: inFlight.labels(labels),
      // One child per outcome, bound once: labelling per observation hashed the labels every event.
      duration: {
        applied: duration.labels({ connector, outcome: 'applied' }),
        skipped: duration.labels({ connector, outcome: 'skipped' }),
        parked: duration.labels({ connector, outcome: 'parked' }),
        dead_lettered: duration.labels({ connector, outcome: 'dead_lettered' }),
      } satisfies Record<ProcessOutcome, unknown>,
      stalledTotal: stalledTotal.labels(labels),
      stalledNow: stalledNow.labels(labels),
    };
    for (const counter of [this.series.consumed, this.series.applied, this.series.retried, this.series.parked, this.series.deadLettered, this.series.duplicate, this.series.unhandled, this.series.stalledTotal]) counter.inc(0);
    this.series.inFlight.inc(0);
    this.series.stalledNow.inc(0);
    for (const known of STATES) workers.inc({ connector, state: known }, 0);
  }

  /** A record was taken up: it counts in flight until {@link ended}. */
  began(): void {
    this.series.inFlight.inc();
  }

  /** A record taken up with {@link began} is settled (or given up). */
  ended(): void {
    this.series.inFlight.dec();
  }

  /** The work on one event ended with `outcome`; `startedAt` is `performance.now()` when it began. */
  settled(outcome: ProcessOutcome, startedAt: number): void {
    this.series.duration[outcome].observe((performance.now() - startedAt) / 1000);
  }

  consumed(): void {
    this.stats.consumed++;
    this.series.consumed.inc();
  }

  /** An event's effects were applied; `eventTime` is its `ce_time` (RFC 3339). */
  applied(eventTime: string | undefined): void {
    this.stats.delivered++;
    this.series.applied.inc();
    const at = eventTime ? Date.parse(eventTime) : NaN;
    if (Number.isFinite(at)) this.series.age.observe(Math.max(0, (Date.now() - at) / 1000));
  }

  skipped(reason: SkipReason): void {
    this.stats.skipped++;
    (reason === 'duplicate' ? this.series.duplicate : this.series.unhandled).inc();
  }

  retried(): void {
    this.stats.retried++;
    this.series.retried.inc();
  }

  parked(): void {
    this.stats.parked++;
    this.series.parked.inc();
  }

  deadLettered(): void {
    this.stats.deadLettered++;
    this.series.deadLettered.inc();
  }

  /** An event spent `ms` in `stage` (the in-flight watchdog reports each stage it leaves). */
  stageTime(stage: InFlightStage, ms: number): void {
    let child = this.stages.get(stage);
    if (!child) this.stages.set(stage, (child = stageSeconds.labels({ connector: this.connector, stage: stage.replace(/[ -]/g, '_') })));
    child.inc(ms / 1000);
  }

  /** An event passed the stall deadline in one of its stages (the watchdog reports each once). */
  stalled(): void {
    this.series.stalledTotal.inc();
  }

  /** How many events of this worker are stalled right now (the gauge sums the connector's workers in this process). */
  setStalled(count: number): void {
    this.series.stalledNow.inc(count - this.stalledCount);
    this.stalledCount = count;
  }

  /** The last failure, for the worker's status (not a metric: it carries a message). */
  noteError(error: NonNullable<WorkerStats['lastError']>): void {
    this.stats.lastError = error;
  }

  /** The lag of the partitions this worker owns now; partitions it lost since drop out. */
  setLag(lags: readonly PartitionLag[]): void {
    const next = lags.map((entry) => ({ topic: entry.topic, partition: String(entry.partition) }));
    const kept = new Set(next.map((entry) => `${entry.topic}:${entry.partition}`));
    for (const old of this.lagLabels) if (!kept.has(`${old.topic}:${old.partition}`)) lag.remove({ connector: this.connector, ...old });
    for (const entry of lags) lag.set({ connector: this.connector, topic: entry.topic, partition: String(entry.partition) }, entry.lag);
    this.lagLabels = next;
  }

  /** The worker's state changed (counted per state across the connector's workers in this process); undefined once it stopped. */
  setState(state: WorkerStatus['state'] | undefined): void {
    if (state === this.state) return;
    if (this.state) workers.dec({ connector: this.connector, state: this.state });
    if (state) workers.inc({ connector: this.connector, state });
    this.state = state;
    if (state === undefined) {
      this.setLag([]);
      this.setStalled(0);
    }
  }
}
