import { CompactedLog, type BusConfig } from '../../bus/index.js';
import type { Logger } from '../../log/logger.js';
import { decodeRecord, encodeKey, encodeValue, type RegistryRecord } from './records.js';
import type { SchemaStore } from './store.js';

export interface KafkaSchemaStoreOptions {
  /** The compacted topic, `_schemas` by default (INTERNAL_TOPICS.schemas). */
  readonly topic: string;
  readonly bus: BusConfig;
  readonly logger: Logger;
}

/**
 * The registry's durable store: the compacted `_schemas` topic, one partition so all
 * records share one order. Created (compacted, replication from the bus config) when missing.
 */
export class KafkaSchemaStore implements SchemaStore {
  private readonly log: CompactedLog;
  private readonly logger: Logger;

  constructor(options: KafkaSchemaStoreOptions) {
    this.logger = options.logger;
    this.log = new CompactedLog({ topic: options.topic, bus: options.bus, logger: options.logger, partitions: 1, clientIdSuffix: 'schema-registry' });
  }

  async start(apply: (record: RegistryRecord) => void): Promise<void> {
    await this.log.load((raw) => {
      const record = decodeRecord(raw.key, raw.value === null ? null : raw.value.toString('utf8'));
      if (record) apply(record);
      else this.logger.debug({ key: raw.key, offset: raw.offset }, 'skipped a _schemas record this registry does not use');
    });
  }

  async append(records: readonly RegistryRecord[]): Promise<void> {
    await this.log.appendAndWait(records.map((record) => ({ key: encodeKey(record.key), value: encodeValue(record) })));
  }

  async close(): Promise<void> {
    await this.log.close();
  }
}
