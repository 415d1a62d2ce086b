import type { ControlState } from '../runtime/control.js';
import type { WorkerStatus } from '../runtime/status.js';
import type { WorkerStats } from '../runtime/worker-stats.js';
import type { AdminConnector } from './admin-connectors.js';
import { connectorStatusOf, evaluatePartition, type ConnectorStatus, type PartitionStatus } from './burrow.js';
import { sumRates, type Rates } from './counter-rates.js';
import type { ConnectorSnapshot } from './lag-sampler.js';

/** One source partition of a connector in the status answer. */
export interface PartitionStatusView {
  readonly topic: string;
  readonly partition: number;
  readonly committed: string;
  readonly end: string;
  readonly lag: number;
  readonly status: PartitionStatus;
  /** The worker the partition is assigned to, when one reports it. */
  readonly worker: string | null;
}

/** One worker of a connector in the status answer. */
export interface WorkerStatusView {
  readonly workerId: string;
  readonly host: string;
  readonly pid: number;
  readonly state: WorkerStatus['state'];
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly assignment: Record<string, number[]>;
  /** Lag of its assigned partitions, as the worker measured it. */
  readonly lag: number;
  readonly rates: Rates;
  readonly stats: Omit<WorkerStats, 'lastError'>;
  readonly lastError: WorkerStats['lastError'] | null;
}

/** A connector in `GET /api/connectors`. */
export interface ConnectorStatusView {
  readonly name: string;
  readonly description: string;
  readonly target: string;
  readonly sources: readonly string[];
  /** What the operator asked for: running, paused or resetting. */
  readonly desiredState: ControlState['state'];
  /** The Burrow evaluation: the worst of the partitions'. */
  readonly status: ConnectorStatus;
  readonly lag: number;
  readonly rates: Rates;
  readonly lastError: WorkerStats['lastError'] | null;
  /** Live members of the connector's consumer group (Kafka's view, not the workers'). */
  readonly groupMembers: number;
  readonly window: { readonly samples: number; readonly size: number; readonly intervalMs: number; readonly complete: boolean };
  readonly partitions: readonly PartitionStatusView[];
  readonly workers: readonly WorkerStatusView[];
  readonly sampledAt: string | null;
}

/**
 * Builds a connector's status from what the sampler holds and its desired state. Pure.
 *
 * @example
 * ```ts
 * const view = connectorStatusView(connector, sampler.snapshot(connector.name), controlStates.get(connector.name), { size: 10, intervalMs: 5000 });
 * view.status; // 'OK' | 'WARN' | 'ERR'
 * ```
 */
export function connectorStatusView(
  connector: AdminConnector,
  snapshot: ConnectorSnapshot,
  control: ControlState | undefined,
  window: { readonly size: number; readonly intervalMs: number },
): ConnectorStatusView {
  const owners = new Map<string, string>();
  // Partitions where a worker holds an event past its stall deadline (the worker's own watchdog).
  const stalledAt = new Set<string>();
  for (const { status } of snapshot.workers) {
    for (const [topic, partitions] of Object.entries(status.assignment)) for (const partition of partitions) owners.set(`${topic}:${partition}`, status.workerId);
    for (const event of status.stalled ?? []) stalledAt.add(`${event.topic}:${event.partition}`);
  }
  let samples = 0;
  let complete = snapshot.partitions.length > 0;
  const partitions = snapshot.partitions.map((p): PartitionStatusView => {
    const evaluation = evaluatePartition(p.samples, window.size);
    const last = p.samples.at(-1);
    samples = Math.max(samples, p.samples.length);
    complete &&= evaluation.complete;
    return {
      topic: p.topic,
      partition: p.partition,
      committed: String(last?.committed ?? -1n),
      end: String(last?.end ?? 0n),
      lag: last?.lag ?? 0,
      // A worker that says it is stuck on this partition is believed before the window fills.
      status: stalledAt.has(`${p.topic}:${p.partition}`) && (evaluation.status === 'OK' || evaluation.status === 'WARN') ? 'STALL' : evaluation.status,
      worker: owners.get(`${p.topic}:${p.partition}`) ?? null,
    };
  });
  const workers = snapshot.workers.map(({ status, rates }): WorkerStatusView => {
    const { lastError, ...stats } = status.stats;
    return {
      workerId: status.workerId,
      host: status.host,
      pid: status.pid,
      state: status.state,
      startedAt: status.startedAt,
      updatedAt: status.updatedAt,
      assignment: status.assignment,
      lag: status.lag.reduce((sum, p) => sum + p.lag, 0),
      rates,
      stats,
      lastError: lastError ?? null,
    };
  });
  const lastError = workers.map((w) => w.lastError).filter((e): e is NonNullable<typeof e> => e !== null).sort((a, b) => b.at.localeCompare(a.at))[0] ?? null;
  return {
    name: connector.name,
    description: connector.description,
    target: connector.target,
    sources: connector.sources,
    desiredState: control?.state ?? 'running',
    status: connectorStatusOf(partitions.map((p) => p.status)),
    lag: partitions.reduce((sum, p) => sum + p.lag, 0),
    rates: sumRates(workers.map((w) => w.rates)),
    lastError,
    groupMembers: snapshot.members,
    window: { samples, size: window.size, intervalMs: window.intervalMs, complete },
    partitions,
    workers,
    sampledAt: snapshot.sampledAt === undefined ? null : new Date(snapshot.sampledAt).toISOString(),
  };
}
