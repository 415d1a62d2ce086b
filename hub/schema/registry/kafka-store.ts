import { CompactedLog, type BusConfig } from '../../bus/index.js';
import type { Logger } from '../../log/logger.js';
import { registryErrors } from './errors.js';
import { decodeRecord, encodeKey, encodeValue, type RegistryRecord } from './records.js';
import type { SchemaStore } from './store.js';

export interface KafkaSchemaStoreOptions {
  /** The compacted topic, `_schemas` by default (INTERNAL_TOPICS.schemas). */
  readonly topic: string;
  readonly bus: BusConfig;
  readonly logger: Logger;
}

/** The Kafka transactional id of the writer of `topic`: one per store, shared by all its instances. */
export const writerTransactionalId = (topic: string): string => `switchboard.schema-registry.${topic}`;

/**
 * The registry's durable store: the compacted `_schemas` topic, one partition so all
 * records share one order. Created (compacted, replication from the bus config) when missing.
 * Writes are Kafka transactions under one transactional id per topic, so the instance that
 * claimed last is the only one that can append (see CompactedLog's `transactionalId`).
 */
export class KafkaSchemaStore implements SchemaStore {
  private readonly log: CompactedLog;
  private readonly logger: Logger;

  constructor(options: KafkaSchemaStoreOptions) {
    this.logger = options.logger;
    this.log = new CompactedLog({
      topic: options.topic,
      bus: options.bus,
      logger: options.logger,
      partitions: 1,
      clientIdSuffix: 'schema-registry',
      transactionalId: writerTransactionalId(options.topic),
    });
  }

  async start(apply: (record: RegistryRecord) => void): Promise<void> {
    await this.log.load((raw) => {
      const record = decodeRecord(raw.key, raw.value === null ? null : raw.value.toString('utf8'));
      if (record) apply(record);
      else this.logger.debug({ key: raw.key, offset: raw.offset }, 'skipped a _schemas record this registry does not use');
    });
  }

  claim(): Promise<void> {
    return this.log.claimWriter();
  }

  async append(records: readonly RegistryRecord[]): Promise<void> {
    try {
      await this.log.appendAndWait(records.map((record) => ({ key: encodeKey(record.key), value: encodeValue(record) })));
    } catch (error) {
      // Another instance claimed the log since (or this one never did): nothing was written.
      if ((error as { fenced?: unknown }).fenced === true) throw registryErrors.writerUnavailable(`this instance is no longer the writer (${(error as Error).message})`, error);
      throw error;
    }
  }

  catchUp(): Promise<void> {
    return this.log.catchUp();
  }

  async close(): Promise<void> {
    await this.log.close();
  }
}
