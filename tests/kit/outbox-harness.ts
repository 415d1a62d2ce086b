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
import { Bus, type BusConfig, type BusConsumer, type BusProducer, type ConsumedRecord } from '../../hub/bus/index.js';
import type { Logger } from '../../hub/log/logger.js';
import { SchemaRegistryClient } from '../../hub/schema/client/registry-client.js';
import { AvroCodec } from '../../hub/schema/codec/avro-codec.js';
import { createRegistryServer, type RegistryServer } from '../../hub/schema/registry/index.js';
import { openDatabase } from '../../hub/service/database.js';
import { Outbox, type EventOrigin } from '../../hub/service/outbox.js';
import { PLUMBING_MIGRATIONS } from '../../hub/service/plumbing-migrations.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { catalogueTopics, eventEntry, type EventFullName, type EventTypeMap } from '../../catalogue/index.js';
import { applyTopics } from '../../topics/provision.js';
import { OutboxRelay, type OutboxRelayOptions } from '../../hub/outbox/outbox-relay.js';

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
  return catalogueTopics().map((spec) => `${prefix}${spec.name}`);
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
  const producer = new Bus(bus, logger, 'outbox-relay').producer();
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
  private constructor(private readonly consumer: BusConsumer, readonly records: ConsumedRecord[]) {}

  /** Joins a fresh group on `topics` from the beginning and collects every record. */
  static async start(bus: BusConfig, topics: readonly string[], groupId: string, logger: Logger): Promise<Collector> {
    const records: ConsumedRecord[] = [];
    const consumer = new Bus(bus, logger, 'outbox-test-consumer').consumer({
      groupId, topics, fromBeginning: true, partitionsConcurrently: 3, logger,
      handle: async (record) => {
        records.push(record);
      },
    });
    const collector = new Collector(consumer, records);
    await consumer.start();
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

/** One event as `outbox.publish` takes it. */
export interface OutboxEvent<K extends EventFullName = EventFullName> {
  readonly type: K;
  readonly value: EventTypeMap[K];
  readonly origin: EventOrigin;
}

/** Publishes `event` in `outbox` (inside the caller's transaction). */
export function publishEvent(outbox: Outbox, event: OutboxEvent): { seq: number; eventId: string } {
  return outbox.publish(event.type, event.value, event.origin);
}

/** An event of `fullName` with its example payload (schemas/examples.ts), its key field set to `key`. */
export function exampleEvent<K extends EventFullName>(fullName: K, key: string, origin: EventOrigin = {}): OutboxEvent<K> {
  const value = { ...EXAMPLE_EVENTS[fullName], [eventEntry(fullName).keyField]: key } as EventTypeMap[K];
  return { type: fullName, value, origin: { correlationId: `flow-${key}`, ...origin } };
}

/** A CustomerUpdated whose `name` carries `n`, so a consumer can check per-key order. */
export function numberedCustomerEvent(key: string, n: number): OutboxEvent<'switchboard.crm.CustomerUpdated'> {
  return { type: 'switchboard.crm.CustomerUpdated', value: { ...EXAMPLE_EVENTS['switchboard.crm.CustomerUpdated'], customerId: key, name: `#${n}` }, origin: {} };
}
