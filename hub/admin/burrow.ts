/**
 * A Burrow-style evaluation of a connector's progress (after LinkedIn's Burrow consumer lag
 * evaluator): not a lag threshold, but rules over a sliding window of samples of each source
 * partition — the group's committed offset, the partition's end offset and the group's live
 * members — taken from Kafka by the admin process itself, so a dead worker cannot report
 * itself healthy. docs/operations.md explains the rules to operators.
 */

/** A partition's status over the window. */
export type PartitionStatus = 'OK' | 'WARN' | 'STOP' | 'STALL' | 'REWIND';

/** A connector's status: the worst of its partitions', with STOP, STALL and REWIND counting as ERR. */
export type ConnectorStatus = 'OK' | 'WARN' | 'ERR';

/** One sample of one partition. */
export interface OffsetSample {
  /** When it was taken, epoch ms. */
  readonly at: number;
  /** The group's committed offset; -1 when it has committed nothing. */
  readonly committed: bigint;
  /** The partition's end offset (high watermark). */
  readonly end: bigint;
  /** Records not settled by the group: end minus committed (or minus the partition's start). */
  readonly lag: number;
  /** Live members of the group when the sample was taken. */
  readonly members: number;
}

/** The outcome for one partition, and whether the window was full (a short window only ever says OK, REWIND or a zero-lag OK). */
export interface PartitionEvaluation {
  readonly status: PartitionStatus;
  readonly complete: boolean;
}

/**
 * Evaluates one partition over `window` (oldest sample first; only the last `size` count),
 * in this order, the first rule that holds deciding:
 *
 * 1. the current lag is 0: OK (nothing to do);
 * 2. STOP: the window is full, the committed offset did not change in it, and the group has no
 *    live member — nobody consumes, so nothing will ever be committed;
 * 3. the lag was 0 in some sample of the window: OK (the group caught up recently);
 * 4. REWIND: the committed offset went backwards between two samples (a reset, or a consumer
 *    committing old offsets);
 * 5. WARN: the window is full and the lag grew from every sample to the next (the group falls
 *    behind: too slow, or paused while events flow);
 * 6. STALL: the window is full and the committed offset did not change in it although the
 *    group has members and work is waiting (consumers alive but stuck);
 * 7. otherwise OK: the committed offset is progressing.
 *
 * @example
 * ```ts
 * const stuck = [0, 1, 2, 3, 4].map((i) => ({ at: i * 5000, committed: 10n, end: 20n + BigInt(i), lag: 10 + i, members: 0 }));
 * evaluatePartition(stuck, 5); // { status: 'STOP', complete: true }
 * ```
 */
export function evaluatePartition(window: readonly OffsetSample[], size: number): PartitionEvaluation {
  const samples = window.slice(-size);
  const complete = samples.length >= size;
  const current = samples.at(-1);
  if (current === undefined || current.lag === 0) return { status: 'OK', complete };
  const unchanged = samples.every((sample) => sample.committed === samples[0].committed);
  if (complete && unchanged && current.members === 0) return { status: 'STOP', complete };
  if (samples.some((sample) => sample.lag === 0)) return { status: 'OK', complete };
  const pairs = samples.slice(1).map((sample, i) => [samples[i], sample] as const);
  if (pairs.some(([before, after]) => after.committed < before.committed)) return { status: 'REWIND', complete };
  if (complete && pairs.every(([before, after]) => after.lag > before.lag)) return { status: 'WARN', complete };
  if (complete && unchanged) return { status: 'STALL', complete };
  return { status: 'OK', complete };
}

const SEVERITY: Readonly<Record<ConnectorStatus, number>> = { OK: 0, WARN: 1, ERR: 2 };

/** What a partition's status means for its connector: STOP, STALL and REWIND are errors. */
export function connectorStatusOfPartition(status: PartitionStatus): ConnectorStatus {
  if (status === 'OK' || status === 'WARN') return status;
  return 'ERR';
}

/**
 * The connector's status: the worst of its partitions' (OK when it has none).
 *
 * @example
 * ```ts
 * connectorStatusOf(['OK', 'WARN', 'OK']); // 'WARN'
 * connectorStatusOf(['WARN', 'STALL']);    // 'ERR'
 * ```
 */
export function connectorStatusOf(partitions: readonly PartitionStatus[]): ConnectorStatus {
  return partitions.map(connectorStatusOfPartition).reduce<ConnectorStatus>((worst, status) => (SEVERITY[status] > SEVERITY[worst] ? status : worst), 'OK');
}
