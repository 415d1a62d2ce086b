import { randomUUID } from 'node:crypto';
import { Bus, fromEventHeaders, loadBusConfig, toEventHeaders, type BusConfig, type EventMetadata } from '../../hub/bus/index.js';
import { createLogger, type Logger } from '../../hub/log/logger.js';
import { ConnectorControl } from '../../hub/runtime/control.js';
import { ConnectorWorker, type ConnectorWorkerOptions } from '../../hub/runtime/connector-worker.js';
import { DeadLetters } from '../../hub/runtime/dead-letters.js';
import { startRuntimeServices, stopRuntimeServices, type RuntimeServices } from '../../hub/runtime/runtime-services.js';
import { SchemaRegistryClient } from '../../hub/schema/client/registry-client.js';
import { AvroCodec } from '../../hub/schema/codec/avro-codec.js';
import { loadSystemUrls } from '../../hub/config/system-urls.js';
import { createRegistryServer, type RegistryServer } from '../../hub/schema/registry/index.js';
import { createRedis, loadRedisUrl, type Redis } from '../../hub/state/redis.js';
import type { ConnectorDefinition, SourceEventName, SourceValue } from '../../hub/sdk/types.js';
import { capturedTable, type CapturedTable, type TableColumn } from '../../hub/adapters/cdc/index.js';
import { eventSchema } from '../../schemas/schema-catalog.js';
import { CDC_TABLES, catalogueTopics, cdcRecordFullName, cdcTopicName, isCdcEventName, type CdcEventName, type SystemName } from '../../catalogue/index.js';
import { kitCredentials } from './credentials.js';
import { uniquePrefix } from './isolation.js';

/** An event read back from a topic. */
export interface CollectedEvent {
  readonly key: string | null;
  readonly metadata: EventMetadata;
  readonly fullName: string | undefined;
  readonly value: unknown;
}

/** Collects and decodes every event of one topic (for topic-to-topic assertions). */
export interface TopicCollector {
  readonly events: CollectedEvent[];
  stop(): Promise<void>;
}

/**
 * Everything a connector test needs on the real local stack, isolated by a unique prefix:
 * the built-in schema registry (in-process, on its own topic), Redis, the runtime's shared
 * services, the domain topics (prefixed), helpers to publish events and raw bytes, workers
 * that are stopped at `close()`, and the dead-letter and control APIs.
 */
export interface KitStack {
  readonly prefix: string;
  /** The stack's own in-process built-in registry (child processes of the test reach it here). */
  readonly registryUrl: string;
  readonly busConfig: BusConfig;
  readonly bus: Bus;
  readonly redis: Redis;
  readonly services: RuntimeServices;
  readonly codec: AvroCodec;
  readonly deadLetters: DeadLetters;
  readonly control: ConnectorControl;
  readonly logger: Logger;
  /**
   * Publishes a catalogue event with CloudEvents headers; returns its metadata. A CDC table's
   * change event needs its columns first ({@link defineCdcTable}).
   */
  publish<K extends SourceEventName>(eventType: K, key: string, value: SourceValue<K>, metadata?: Partial<EventMetadata>): Promise<EventMetadata>;
  /** Publishes raw bytes (poison messages) with the given headers on a catalogue topic (unprefixed name). */
  publishRaw(topic: string, key: string, value: Buffer | null, headers: Record<string, string>): Promise<void>;
  /** Headers of a valid event of `eventType` (to pair with bad bytes). */
  headersFor(eventType: SourceEventName, metadata?: Partial<EventMetadata>): Record<string, string>;
  /** The columns of a captured table, so that its change events can be published as `switchboard cdc` would. */
  defineCdcTable(eventType: CdcEventName, columns: readonly TableColumn[], keyColumns: readonly string[]): CapturedTable;
  /** Starts a worker of `connector` (stopped at close unless stopped before). */
  startWorker(connector: ConnectorDefinition, options?: ConnectorWorkerOptions): Promise<ConnectorWorker>;
  collect(eventTypeTopic: SourceEventName): Promise<TopicCollector>;
  close(): Promise<void>;
}

/** The topic (without prefix) an event type is published on: its catalogue topic, or its captured table's. */
export function sourceTopicName(eventType: SourceEventName): string {
  if (isCdcEventName(eventType)) return cdcTopicName(cdcSpecOf(eventType));
  return eventSchema(eventType).topicName();
}

function cdcSpecOf(eventType: CdcEventName) {
  const spec = CDC_TABLES.find((table) => cdcRecordFullName(table) === eventType);
  if (!spec) throw new Error(`${eventType} is no CDC table of the catalogue`);
  return spec;
}

export interface KitStackOptions {
  readonly label?: string;
  /** Where the targets are (e.g. a RecordingTarget's url); systems not named are on their default URL. */
  readonly systemUrls?: Partial<Record<SystemName, string>>;
  /** Log level of the stack's logger. Default `warn`, or LOG_LEVEL. */
  readonly logLevel?: string;
  /** Where the runtime reads generic targets' settings (`TARGET_<NAME>_*`); default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** The logger of the stack and its workers (e.g. one that captures lines); default one at `logLevel`. */
  readonly logger?: Logger;
  /** Kafka to use; default the shared one (KAFKA_* variables). A private stack passes its own. */
  readonly bus?: BusConfig;
  /** Redis to use; default the shared one (REDIS_URL). */
  readonly redisUrl?: string;
}

/** Starts a KitStack; call `close()` in afterAll. */
export async function startKitStack(options: KitStackOptions = {}): Promise<KitStack> {
  const prefix = uniquePrefix(options.label ?? 'kit');
  const busConfig = options.bus ?? loadBusConfig();
  const logger = options.logger ?? createLogger('kit', { defaultLevel: 'warn', ...(options.logLevel ? { level: options.logLevel } : {}) });
  const bus = new Bus(busConfig, logger, 'kit');
  const redis = createRedis(options.redisUrl ?? loadRedisUrl(), logger, 'kit');
  const admin = bus.admin();
  await admin.connect();
  await admin.create(
    catalogueTopics().map((spec) => ({ name: `${prefix}${spec.name}`, partitions: spec.partitions, replicationFactor: busConfig.replicationFactor, configs: {} })),
  );
  const registry: RegistryServer = createRegistryServer({ port: 0, host: '127.0.0.1', topic: `${prefix}_schemas`, bus: busConfig, logger, defaultCompatibility: 'BACKWARD_TRANSITIVE' });
  const registryUrl = await registry.start();
  const lookup = new SchemaRegistryClient({ url: registryUrl, timeoutMs: 5000 });
  const services = await startRuntimeServices({
    bus: busConfig, redis, registry: lookup, logger, prefix, systemUrls: { ...loadSystemUrls(), ...options.systemUrls }, credentials: kitCredentials().callers,
    ...(options.env ? { env: options.env } : {}),
  });
  const codec = new AvroCodec({ registry: lookup });
  const producer = bus.producer();
  const workers: ConnectorWorker[] = [];
  const collectors: TopicCollector[] = [];

  const cdcTables = new Map<string, CapturedTable>();
  const headersFor = (eventType: SourceEventName, metadata: Partial<EventMetadata> = {}): Record<string, string> => {
    const id = metadata.id ?? randomUUID();
    const { source, type } = isCdcEventName(eventType)
      ? { source: cdcSpecOf(eventType).source, type: `${cdcTopicName(cdcSpecOf(eventType))}.update` }
      : { source: eventSchema(eventType).topic.system, type: eventSchema(eventType).ceType };
    return toEventHeaders({ id, source, type, time: new Date().toISOString(), correlationId: id, ...metadata });
  };
  const route = (eventType: SourceEventName): { topic: string; subject: string } => {
    if (!isCdcEventName(eventType)) return { topic: eventSchema(eventType).topicName(prefix), subject: eventSchema(eventType).subject(prefix) };
    const table = cdcTables.get(eventType);
    if (!table) throw new Error(`call defineCdcTable('${eventType}', columns, keyColumns) before publishing its events`);
    return { topic: table.topic, subject: table.subject };
  };

  const stack: KitStack = {
    prefix, registryUrl, busConfig, bus, redis, services, codec, logger,
    deadLetters: new DeadLetters({ bus, redis, producer, prefix }),
    control: new ConnectorControl({ redis, bus, logger, namespace: prefix }),
    async publish(eventType, key, value, metadata = {}) {
      const { topic, subject } = route(eventType);
      const headers = headersFor(eventType, metadata);
      const bytes = await codec.encode(subject, value);
      await producer.send({ topic, key, value: bytes, headers });
      return fromEventHeaders(headers);
    },
    defineCdcTable(eventType, columns, keyColumns) {
      const table = capturedTable(cdcSpecOf(eventType), columns, keyColumns, prefix);
      codec.defineSubject(table.subject, JSON.stringify(table.schema));
      cdcTables.set(eventType, table);
      return table;
    },
    async publishRaw(topic, key, value, headers) {
      await producer.send({ topic: `${prefix}${topic}`, key, value, headers });
    },
    headersFor,
    async startWorker(connector, workerOptions) {
      const worker = new ConnectorWorker(connector, services, { statusIntervalMs: 1000, controlPollMs: 1000, ...workerOptions });
      workers.push(worker);
      await worker.start();
      return worker;
    },
    async collect(eventType) {
      const topic = `${prefix}${sourceTopicName(eventType)}`;
      const events: CollectedEvent[] = [];
      const consumer = bus.consumer({
        groupId: `${prefix}collector.${randomUUID()}`,
        topics: [topic],
        fromBeginning: true,
        logger,
        handle: async (record) => {
          const decoded = record.value ? await codec.decode(record.value) : undefined;
          events.push({ key: record.key?.toString() ?? null, metadata: fromEventHeaders(record.headers), fullName: decoded?.fullName, value: decoded?.value });
        },
      });
      await consumer.start();
      const collector = { events, stop: () => consumer.stop() };
      collectors.push(collector);
      return collector;
    },
    async close() {
      await Promise.allSettled(workers.map((worker) => worker.stop()));
      await Promise.allSettled(collectors.map((collector) => collector.stop()));
      await producer.close();
      await stopRuntimeServices(services);
      await registry.stop();
      await deletePrefixed(bus, prefix);
      await admin.close();
      await deleteKeys(redis, prefix);
      redis.disconnect();
    },
  };
  return stack;
}

async function deletePrefixed(bus: Bus, prefix: string): Promise<void> {
  const admin = bus.admin();
  await admin.connect();
  try {
    await admin.delete((await admin.list()).filter((name) => name.startsWith(prefix)));
  } catch {
    // Leftover topics of a test run are harmless; they are prefixed.
  } finally {
    await admin.close();
  }
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
