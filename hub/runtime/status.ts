import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { BusAdmin } from '../bus/index.js';
import { stateKey } from '../state/redis.js';
import type { StalledEvent } from './in-flight-watchdog.js';
import type { WorkerStats } from './worker-stats.js';

/** How far behind one assigned partition is. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** Committed offset of the group, or -1 when nothing is committed yet. */
  readonly committed: string;
  /** The partition's end offset (high watermark). */
  readonly end: string;
  readonly lag: number;
}

/** One worker of one connector, as the console and `status` read it. */
export interface WorkerStatus {
  readonly connector: string;
  readonly workerId: string;
  readonly host: string;
  readonly pid: number;
  /**
   * `stalled`: running, but an event has been in one stage for longer than the connector's
   * `stallTimeoutMs` (listed in `stalled`); `failed`: stopped for good by an error retrying
   * cannot fix (Kafka refused the connector's principal), named in `stats.lastError`.
   */
  readonly state: 'starting' | 'running' | 'stalled' | 'paused' | 'resetting' | 'stopping' | 'failed';
  readonly startedAt: string;
  readonly updatedAt: string;
  /** Source partitions assigned to this worker, by topic. */
  readonly assignment: Record<string, number[]>;
  readonly lag: readonly PartitionLag[];
  readonly stats: WorkerStats;
  /** Events in flight past the stall deadline (longest first, at most 10); absent or empty when none. */
  readonly stalled?: readonly StalledEvent[];
}

/** Status entries expire unless refreshed: a dead worker disappears within this time. */
export const STATUS_TTL_SECONDS = 15;

function statusKey(namespace: string, connector: string, workerId: string): string {
  return stateKey(namespace, 'status', connector, workerId);
}

/** Writes one worker's status (with its TTL heartbeat). */
export async function writeWorkerStatus(redis: Redis, namespace: string, status: WorkerStatus): Promise<void> {
  await redis.set(statusKey(namespace, status.connector, status.workerId), JSON.stringify(status), 'EX', STATUS_TTL_SECONDS);
}

export async function removeWorkerStatus(redis: Redis, namespace: string, connector: string, workerId: string): Promise<void> {
  await redis.del(statusKey(namespace, connector, workerId));
}

/** The live workers of a connector (or of every connector with `connector = '*'`). */
export async function readWorkerStatuses(redis: Redis, namespace: string, connector = '*'): Promise<WorkerStatus[]> {
  const found: WorkerStatus[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', statusKey(namespace, connector, '*'), 'COUNT', 200);
    cursor = next;
    if (keys.length > 0) {
      for (const raw of await redis.mget(...keys)) if (raw) found.push(JSON.parse(raw) as WorkerStatus);
    }
  } while (cursor !== '0');
  return found.sort((a, b) => a.connector.localeCompare(b.connector) || a.workerId.localeCompare(b.workerId));
}

/** Lag of the assigned partitions: end offsets against the group's committed offsets. */
export async function measureLag(admin: BusAdmin, groupId: string, assignment: Record<string, number[]>): Promise<PartitionLag[]> {
  const topics = Object.keys(assignment);
  if (topics.length === 0) return [];
  const committed = await admin.committedOffsets(groupId, topics);
  const lags: PartitionLag[] = [];
  for (const topic of topics) {
    const ends = await admin.topicOffsets(topic);
    const mine = new Set(assignment[topic]);
    const byPartition = new Map(committed.filter((c) => c.topic === topic).map((c) => [c.partition, c.offset]));
    for (const end of ends) {
      if (!mine.has(end.partition)) continue;
      const offset = byPartition.get(end.partition) ?? '-1';
      lags.push({ topic, partition: end.partition, committed: offset, end: end.high, lag: partitionLag(offset, end.low, end.high) });
    }
  }
  return lags;
}

/**
 * Records of a partition a group has not settled: the end offset minus the committed one, or
 * minus the partition's first offset when the group has committed nothing (`-1`).
 *
 * @example
 * ```ts
 * partitionLag('-1', '0', '40'); // 40
 * partitionLag('35', '0', '40'); // 5
 * ```
 */
export function partitionLag(committed: string, low: string, high: string): number {
  const from = BigInt(committed) < 0n ? BigInt(low) : BigInt(committed);
  return Number(BigInt(high) - from);
}

/** A worker id unique across hosts and restarts. */
export function newWorkerId(): string {
  return `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
}
