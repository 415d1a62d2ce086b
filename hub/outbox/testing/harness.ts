/**
 * What the outbox integration tests and the benchmark share: a temporary service database with
 * the outbox migration, the built-in registry in-process on its own `_schemas` topic, the
 * catalogue's topics behind a unique prefix, a relay wired to real Kafka, and a consumer that
 * collects and decodes what arrives. Nothing here is faked: it is the production wiring with
 * test-sized settings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { Bus, BusConsumer, BusProducer, BusAdmin, type BusConfig, type ConsumedRecord } from '../../bus/index.js';
import type { Logger } from '../../log/logger.js';
import { SchemaRegistryClient } from '../../schema/client/registry-client.js';
import { AvroCodec } from '../../schema/codec/avro-codec.js';
import { createRegistryServer, type RegistryServer } from '../../schema/registry/index.js';
import { openDatabase } from '../../service/database.js';
import { Outbox, type OutboxEventInput } from '../../service/outbox.js';
import { PLUMBING_MIGRATIONS } from '../../service/plumbing-migrations.js';
import { EXAMPLE_EVENTS } from '../../../schemas/examples.js';
import { eventSchema } from '../../../schemas/schema-catalog.js';
import type { EventFullName } from '../../../catalogue/index.js';
import { DOMAIN_TOPICS, topicName, type SystemName } from '../../../catalogue/index.js';
import { applyTopics } from '../../../topics/provision.js';
import { OutboxRelay, type OutboxRelayOptions } from '../outbox-relay.js';

/** A service database in a temporary folder, with the shared plumbing tables (outbox included). */
export interface TempOutboxDb {
  readonly path: string;
  readonly db: Database;
  readonly outbox: Outbox;
  /** Closes the database and deletes its folder. */
  remove(): void;
}

/** Opens a fresh SQLite file with PLUMBING_MIGRATIONS and an Outbox over it. */
export function tempOutboxDb(label = 'outbox'): TempOutboxDb {
  const dir = mkdtempSync(join(tmpdir(), `swb-${label}-`));
  const path = join(dir, 'service.db');
  const db = openDatabase(path, PLUMBING_MIGRATIONS);
  return {
    path, db, outbox: new Outbox(db),
    remove() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The built-in registry listening on a free port, storing in its own topic. */
export async function startTestRegistry(prefix: string, logger: Logger, bus?: BusConfig): Promise<{ server: RegistryServer; url: string; client: SchemaRegistryClient }> {
  const server = createRegistryServer({
    port: 0, host: '127.0.0.1', topic: `_schemas_test_${prefix.replace(/\W/g, '')}`, defaultCompatibility: 'BACKWARD_TRANSITIVE', logger,
    ...(bus ? { bus } : {}),
  });
  const url = await server.start();
  return { server, url, client: new SchemaRegistryClient({ url, timeoutMs: 5000 }) };
}

/** Creates every catalogue topic behind `prefix`; returns their names (for deletion). */
export async function createPrefixedTopics(bus: BusConfig, prefix: string, logger: Logger): Promise<string[]> {
  const admin = new Bus(bus, logger, 'outbox-test-admin').admin();
  await admin.connect();
  try {
    await applyTopics(admin, { replicationFactor: 1, minInsyncReplicas: 1, prefix });
  } finally {
    await admin.close();
  }
  return DOMAIN_TOPICS.map((spec) => topicName(spec, prefix));
}

/** Deletes topics (and the registry's topic), ignoring failures: cleanup must not fail a run. */
export async function deleteTopics(bus: BusConfig, names: readonly string[], logger: Logger): Promise<void> {
  const admin = new Bus(bus, logger, 'outbox-test-admin').admin();
  try {
    await admin.connect();
    await admin.delete(names);
  } catch {
    // best effort
  } finally {
    await admin.close().catch(() => undefined);
  }
}

/** A relay over `outbox` with its own producer on `bus`; `close()` stops both. */
export function startRelay(
  outbox: Outbox, bus: BusConfig, registryUrl: string, prefix: string, logger: Logger, options: Partial<OutboxRelayOptions> = {},
): { relay: OutboxRelay; producer: BusProducer; codec: AvroCodec; close(): Promise<void> } {
  const producer = new BusProducer(createKafka(bus, logger, 'outbox-relay'), logger);
  const codec = new AvroCodec({ registry: new SchemaRegistryClient({ url: registryUrl, timeoutMs: 5000 }) });
  const relay = new OutboxRelay({ outbox, producer, codec, logger, topicPrefix: prefix, ...options });
  relay.start();
  return {
    relay, producer, codec,
    async close() {
      await relay.stop();
      await producer.close();
    },
  };
}

/** Everything a consumer saw, in arrival order. */
export class Collector {
  readonly records: ConsumedRecord[] = [];
  private constructor(private readonly consumer: BusConsumer) {}

  /** Joins a fresh group on `topics` from the beginning and collects every record. */
  static async start(bus: BusConfig, topics: readonly string[], groupId: string, logger: Logger): Promise<Collector> {
    const consumer = new BusConsumer(createKafka(bus, logger, 'outbox-test-consumer'), { groupId, topics, fromBeginning: true, partitionsConsumedConcurrently: 3 }, logger);
    const collector = new Collector(consumer);
    await consumer.start(async (batch) => {
      collector.records.push(...batch.records);
    });
    return collector;
  }

  /** The distinct ce_ids seen. */
  ids(): Set<string> {
    return new Set(this.records.map((record) => record.headers.ce_id ?? ''));
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }
}

/** An event of `fullName` with its example payload (schemas/examples.ts), under `key`. */
export function exampleEvent(fullName: EventFullName, key: string, extra: Partial<OutboxEventInput> = {}): OutboxEventInput {
  const schema = eventSchema(fullName);
  return {
    system: schema.topic.system as SystemName, aggregate: schema.topic.aggregate, eventType: schema.eventType, key,
    payload: EXAMPLE_EVENTS[fullName], correlationId: `flow-${key}`, ...extra,
  };
}

/** A CustomerUpdated whose `name` carries `n`, so a consumer can check per-key order. */
export function numberedCustomerEvent(key: string, n: number): OutboxEventInput {
  return {
    system: 'crm', aggregate: 'customer', eventType: 'CustomerUpdated', key,
    payload: { ...EXAMPLE_EVENTS['switchboard.crm.CustomerUpdated'], customerId: key, name: `#${n}` },
    correlationId: key,
  };
}
