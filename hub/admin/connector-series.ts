import type { ConnectorSnapshot } from './lag-sampler.js';
import { sumRates } from './counter-rates.js';

/** One point of a connector's time series. */
export interface SeriesPoint {
  /** Epoch ms of the sample. */
  readonly at: number;
  readonly consumedPerSecond: number;
  readonly appliedPerSecond: number;
  /** Records not yet settled on the source partitions. */
  readonly lag: number;
  /** Retries, parkings and dead letters per second. */
  readonly errorsPerSecond: number;
}

/** A connector's series as the API answers it: columns, oldest first (the shape charts take). */
export interface ConnectorSeriesView {
  readonly connector: string;
  readonly intervalMs: number;
  readonly retentionMs: number;
  readonly at: readonly number[];
  readonly consumedPerSecond: readonly number[];
  readonly appliedPerSecond: readonly number[];
  readonly lag: readonly number[];
  readonly errorsPerSecond: readonly number[];
}

/** What failed so far across a connector's workers, by worker, for error rates between samples. */
type FailureCounts = Map<string, { at: number; failures: number }>;

/**
 * The last hour of every connector's rate, lag and errors, kept in the console's memory (a ring
 * of points per connector, one per sample of the LagSampler), so the connector page can chart
 * them without a Prometheus. Errors per second come from the workers' counters of retries,
 * parkings and dead letters between two samples (a worker that restarted counts from 0).
 *
 * @example
 * ```ts
 * const series = new ConnectorSeries(3600_000, 5000);
 * series.record('crm-order-to-erp', sampler.snapshot('crm-order-to-erp'));
 * series.view('crm-order-to-erp').lag;
 * ```
 */
export class ConnectorSeries {
  private readonly points = new Map<string, SeriesPoint[]>();
  private readonly failures = new Map<string, FailureCounts>();

  constructor(readonly retentionMs: number, readonly intervalMs: number) {}

  /** Adds the point of one sample of `connector`. */
  record(connector: string, snapshot: ConnectorSnapshot): void {
    const at = snapshot.sampledAt ?? Date.now();
    const rates = sumRates(snapshot.workers.map((worker) => worker.rates));
    const lag = snapshot.partitions.reduce((sum, partition) => sum + (partition.samples.at(-1)?.lag ?? 0), 0);
    const point: SeriesPoint = { at, consumedPerSecond: rates.consumedPerSecond, appliedPerSecond: rates.appliedPerSecond, lag, errorsPerSecond: this.errorRate(connector, snapshot) };
    const points = this.points.get(connector) ?? [];
    if (points.at(-1)?.at === at) return;
    points.push(point);
    while (points.length > 0 && points[0].at < at - this.retentionMs) points.shift();
    this.points.set(connector, points);
  }

  view(connector: string): ConnectorSeriesView {
    const points = this.points.get(connector) ?? [];
    return {
      connector,
      intervalMs: this.intervalMs,
      retentionMs: this.retentionMs,
      at: points.map((p) => p.at),
      consumedPerSecond: points.map((p) => p.consumedPerSecond),
      appliedPerSecond: points.map((p) => p.appliedPerSecond),
      lag: points.map((p) => p.lag),
      errorsPerSecond: points.map((p) => p.errorsPerSecond),
    };
  }

  private errorRate(connector: string, snapshot: ConnectorSnapshot): number {
    const previous = this.failures.get(connector) ?? new Map<string, { at: number; failures: number }>();
    const next: FailureCounts = new Map();
    let perSecond = 0;
    for (const { status } of snapshot.workers) {
      const failures = status.stats.retried + status.stats.parked + status.stats.deadLettered;
      const at = Date.parse(status.updatedAt);
      const before = previous.get(status.workerId);
      if (before && at > before.at && failures >= before.failures) perSecond += ((failures - before.failures) * 1000) / (at - before.at);
      next.set(status.workerId, before && at === before.at ? before : { at, failures });
    }
    this.failures.set(connector, next);
    return Math.round(perSecond * 100) / 100;
  }
}
