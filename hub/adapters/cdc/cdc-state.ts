import type { Bus, BusProducer } from '../../bus/index.js';
import { INTERNAL_TOPICS } from '../../../catalogue/index.js';

/** What the CDC process remembers of one source between runs. */
export interface SourceState {
  /** The replication slot whose initial snapshot was published completely. */
  readonly snapshotSlot: string;
  /** The slot's consistent point: the snapshot's LSN, where streaming starts. */
  readonly snapshotLsn: string;
  /** When the snapshot was complete (ISO 8601). */
  readonly completedAt: string;
}

/**
 * The progress of each source in the compacted topic `switchboard.cdc.state` (one record per
 * source, the latest wins), written only once a slot's snapshot is wholly acknowledged by
 * Kafka. Streaming progress itself is the slot's confirmed LSN in PostgreSQL: the state only
 * says whether the slot that exists was fully snapshotted, so a process killed during the
 * snapshot starts it over on a new slot instead of streaming past rows it never published.
 *
 * @example
 * ```ts
 * const state = new CdcState(bus, producer, '');
 * if ((await state.read('legacy-warehouse'))?.snapshotSlot !== slot) ...;
 * await state.snapshotComplete('legacy-warehouse', { snapshotSlot: slot, snapshotLsn, completedAt: new Date().toISOString() });
 * ```
 */
export class CdcState {
  readonly topic: string;

  constructor(private readonly bus: Bus, private readonly producer: Pick<BusProducer, 'send'>, prefix: string) {
    this.topic = `${prefix}${INTERNAL_TOPICS.cdcState}`;
  }

  /** Creates the compacted topic when missing (one partition). */
  async ensureTopic(): Promise<void> {
    const admin = this.bus.admin();
    await admin.connect();
    try {
      if ((await admin.describe([this.topic], [])).has(this.topic)) return;
      const { replicationFactor, minInsyncReplicas } = this.bus.config;
      try {
        await admin.create([{ name: this.topic, partitions: 1, replicationFactor, configs: { 'cleanup.policy': 'compact', 'min.insync.replicas': String(minInsyncReplicas) } }]);
      } catch (error) {
        // A second process may have created it a moment ago.
        if (!(await admin.describe([this.topic], [])).has(this.topic)) throw error;
      }
    } finally {
      await admin.close();
    }
  }

  /** The latest state of `source`, or undefined when it has none. */
  async read(source: string): Promise<SourceState | undefined> {
    let latest: SourceState | undefined;
    for (const record of await this.bus.readTopicToEnd(this.topic)) {
      if (record.key?.toString('utf8') !== source) continue;
      latest = record.value ? (JSON.parse(record.value.toString('utf8')) as SourceState) : undefined;
    }
    return latest;
  }

  /** Records that `state.snapshotSlot`'s snapshot is in Kafka; resolves once acknowledged. */
  async snapshotComplete(source: string, state: SourceState): Promise<void> {
    await this.producer.send({ topic: this.topic, key: source, value: Buffer.from(JSON.stringify(state)) });
  }
}
