import type { BusAdmin, PartitionOffsets } from '../bus/index.js';
import type { Logger } from '../log/logger.js';
import { partitionLag, readWorkerStatuses, type WorkerStatus } from '../runtime/status.js';
import type { Redis } from '../state/redis.js';
import type { AdminConnector } from './admin-connectors.js';
import type { OffsetSample } from './burrow.js';
import { NO_RATES, ratesBetween, type CounterSample, type Rates } from './counter-rates.js';

/** One source partition of a connector and its samples, oldest first. */
export interface PartitionWindow {
  readonly topic: string;
  readonly partition: number;
  readonly samples: readonly OffsetSample[];
}

/** A live worker (its last status in Redis) and its rates. */
export interface WorkerSample {
  readonly status: WorkerStatus;
  readonly rates: Rates;
}

/** What the sampler knows about one connector. */
export interface ConnectorSnapshot {
  readonly partitions: readonly PartitionWindow[];
  /** Live members of the connector's main group at the last sample. */
  readonly members: number;
  readonly workers: readonly WorkerSample[];
  /** When the last sample was taken, epoch ms; undefined before the first. */
  readonly sampledAt: number | undefined;
}

export interface LagSamplerOptions {
  /** A connected admin client; the sampler does not close it. */
  readonly admin: BusAdmin;
  readonly redis: Redis;
  readonly prefix: string;
  readonly connectors: readonly AdminConnector[];
  readonly intervalMs: number;
  /** Samples kept per partition (the Burrow window). */
  readonly windowSize: number;
  readonly logger: Logger;
  /** Called after every successful sample (the console's time series take their points here). */
  readonly onSample?: () => void;
}

/**
 * Samples, every `intervalMs`, what the status of the connectors is built from: from Kafka the
 * committed offset of each connector's group on each source partition, the partitions' end
 * offsets and the group's live members (so a worker that died cannot hide: its group stops
 * moving), and from Redis the workers' own status and counters (for rates). Keeps the last
 * `windowSize` samples per partition for the Burrow evaluation; answers from memory.
 *
 * @example
 * ```ts
 * const sampler = new LagSampler({ admin, redis, prefix: '', connectors, intervalMs: 5000, windowSize: 10, logger });
 * await sampler.start();
 * const { partitions } = sampler.snapshot('crm-order-to-erp');
 * ```
 */
export class LagSampler {
  private readonly windows = new Map<string, Map<string, PartitionWindow>>();
  private readonly members = new Map<string, number>();
  private readonly workers = new Map<string, WorkerSample[]>();
  /** The previous counters of each worker (by `connector\nworkerId`), for rates. */
  private readonly counters = new Map<string, { sample: CounterSample; rates: Rates }>();
  private sampledAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private failures = 0;

  constructor(private readonly options: LagSamplerOptions) {}

  /** Takes the first sample, then one every interval until `stop()`. */
  async start(): Promise<void> {
    await this.tick();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** What is known about `connector` now. */
  snapshot(connector: string): ConnectorSnapshot {
    const windows = [...(this.windows.get(connector)?.values() ?? [])].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    return { partitions: windows, members: this.members.get(connector) ?? 0, workers: this.workers.get(connector) ?? [], sampledAt: this.sampledAt };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule());
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** One sample of every connector; a failure is logged (first and every 20th) and the next tick tries again. */
  private async tick(): Promise<void> {
    try {
      await this.sample();
      this.options.onSample?.();
      if (this.failures > 0) this.options.logger.info({ failures: this.failures }, 'status sampling works again');
      this.failures = 0;
    } catch (error) {
      if (this.failures % 20 === 0) this.options.logger.warn({ err: error }, 'could not sample connector status; trying again');
      this.failures++;
    }
  }

  private async sample(): Promise<void> {
    const { admin, connectors, redis, prefix } = this.options;
    const topics = [...new Set(connectors.flatMap((connector) => connector.sources))];
    const [groups, ends, committed, statuses] = await Promise.all([
      admin.describeGroups(connectors.map((connector) => connector.groups.main)),
      Promise.all(topics.map(async (topic) => [topic, await admin.topicOffsets(topic)] as const)),
      Promise.all(connectors.map((connector) => admin.committedOffsets(connector.groups.main, connector.sources))),
      readWorkerStatuses(redis, prefix),
    ]);
    const at = Date.now();
    const endsOf = new Map<string, PartitionOffsets[]>(ends);
    connectors.forEach((connector, i) => {
      const members = groups[i].members;
      this.members.set(connector.name, members);
      const offsets = new Map(committed[i].map((c) => [`${c.topic}:${c.partition}`, c.offset]));
      const windows = this.windows.get(connector.name) ?? new Map<string, PartitionWindow>();
      this.windows.set(connector.name, windows);
      for (const topic of connector.sources) {
        for (const end of endsOf.get(topic) ?? []) {
          const where = `${topic}:${end.partition}`;
          const offset = offsets.get(where) ?? '-1';
          const sample: OffsetSample = { at, committed: BigInt(offset), end: BigInt(end.high), lag: partitionLag(offset, end.low, end.high), members };
          const samples = [...(windows.get(where)?.samples ?? []), sample].slice(-this.options.windowSize);
          windows.set(where, { topic, partition: end.partition, samples });
        }
      }
    });
    this.sampleWorkers(statuses);
    this.sampledAt = at;
  }

  private sampleWorkers(statuses: readonly WorkerStatus[]): void {
    const seen = new Set<string>();
    this.workers.clear();
    for (const status of statuses) {
      const worker = `${status.connector}\n${status.workerId}`;
      seen.add(worker);
      const sample: CounterSample = { at: Date.parse(status.updatedAt), consumed: status.stats.consumed, applied: status.stats.delivered };
      const previous = this.counters.get(worker);
      // A status written once only has no rate yet; one not rewritten since keeps its last rate.
      const rates = previous === undefined ? NO_RATES : previous.sample.at === sample.at ? previous.rates : ratesBetween(previous.sample, sample);
      this.counters.set(worker, { sample, rates });
      this.workers.set(status.connector, [...(this.workers.get(status.connector) ?? []), { status, rates }]);
    }
    for (const worker of [...this.counters.keys()]) if (!seen.has(worker)) this.counters.delete(worker);
  }
}
