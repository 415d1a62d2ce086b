/**
 * A bus client on a running system's prefix, for failure and end-to-end tests: publish encoded
 * or raw records onto its topics, read its dead letters, and count what the runtime parked or
 * dead-lettered (the runtime's own state, so a negative assertion needs no sleep).
 */
import { randomUUID } from 'node:crypto';
import { INTERNAL_TOPICS, type EventFullName, type EventTypeMap } from '../../catalogue/index.js';
import { Bus, loadBusConfig, toEventHeaders, type BusConfig } from '../../hub/bus/index.js';
import { createLogger } from '../../hub/log/logger.js';
import { DeadLetters, type DeadLetter } from '../../hub/runtime/dead-letters.js';
import { SchemaRegistryClient } from '../../hub/schema/client/registry-client.js';
import { AvroCodec } from '../../hub/schema/codec/avro-codec.js';
import { createRedis, type Redis } from '../../hub/state/redis.js';
import { eventSchema } from '../../schemas/schema-catalog.js';
import type { RunningSystem } from './system.js';

/** A bus client on a running system's prefix: records onto its topics and its dead letters. */
export interface SystemBus {
  readonly bus: Bus;
  readonly redis: Redis;
  readonly deadLetters: DeadLetters;
  /** Encodes and publishes a catalogue event (as a service would), with CloudEvents headers; returns its ce_id. */
  publish<K extends EventFullName>(eventType: K, key: string, value: EventTypeMap[K]): Promise<string>;
  /** Publishes raw bytes with the headers of a valid `eventType` event; returns its ce_id. */
  publishRaw(eventType: EventFullName, key: string, value: Buffer): Promise<string>;
  /** The connector's dead letters (its prefixed `switchboard.dlq.<connector>` topic). */
  deadLettersOf(connector: string): Promise<DeadLetter[]>;
  close(): Promise<void>;
}

/**
 * Opens a SystemBus on `system`; `close()` also drops the system's Redis state.
 *
 * @example
 * ```ts
 * const bus = await openSystemBus(system);
 * await bus.publishRaw('switchboard.crm.OrderPlaced', 'O-1', Buffer.from('not avro'));
 * ```
 */
export async function openSystemBus(system: RunningSystem): Promise<SystemBus> {
  const logger = createLogger('system-bus', { level: 'warn' });
  const bus = new Bus(system.bus, logger, 'system-test');
  const redis = createRedis(system.redisUrl, logger, 'system-test');
  const producer = bus.producer();
  const codec = new AvroCodec({ registry: new SchemaRegistryClient({ url: system.registryUrl, timeoutMs: 5000 }) });
  const deadLetters = new DeadLetters({ bus, redis, producer, prefix: system.prefix });
  const headersFor = (eventType: EventFullName, id: string) => {
    const schema = eventSchema(eventType);
    return toEventHeaders({ id, source: schema.topic.system, type: schema.ceType, time: new Date().toISOString(), correlationId: id });
  };
  return {
    bus,
    redis,
    deadLetters,
    async publish(eventType, key, value) {
      const schema = eventSchema(eventType);
      const id = randomUUID();
      const bytes = await codec.encode(schema.subject(system.prefix), value);
      await producer.send({ topic: schema.topicName(system.prefix), key, value: bytes, headers: headersFor(eventType, id) });
      return id;
    },
    async publishRaw(eventType, key, value) {
      const id = randomUUID();
      await producer.send({ topic: eventSchema(eventType).topicName(system.prefix), key, value, headers: headersFor(eventType, id) });
      return id;
    },
    deadLettersOf: (connector) => deadLetters.list(connector),
    async close() {
      await producer.close();
      // The system's Redis state (completed keys, cross-references, parked keys) is prefixed: drop it.
      let cursor = '0';
      do {
        const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${system.prefix}*`, 'COUNT', 500);
        cursor = nextCursor;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}

/** Records in each of the given topics (end minus start offsets); a topic that does not exist counts 0. */
async function recordCounts(topics: readonly string[], bus: BusConfig = loadBusConfig()): Promise<number[]> {
  const admin = new Bus(bus, createLogger('system-bus', { level: 'warn' })).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.list());
    const counts: number[] = [];
    for (const topic of topics) {
      if (!existing.has(topic)) {
        counts.push(0);
        continue;
      }
      const offsets = await admin.topicOffsets(topic);
      counts.push(offsets.reduce((sum, o) => sum + Number(BigInt(o.high) - BigInt(o.low)), 0));
    }
    return counts;
  } finally {
    await admin.close();
  }
}

/**
 * Dead letters per connector of a system (only those with any), read from the end offsets of
 * its `switchboard.dlq.<connector>` topics (on `bus`, default the shared Kafka).
 */
export async function deadLetterCounts(prefix: string, connectors: readonly string[], bus?: BusConfig): Promise<Record<string, number>> {
  const counts = await recordCounts(connectors.map((name) => `${prefix}${INTERNAL_TOPICS.deadLetter(name)}`), bus);
  return Object.fromEntries(connectors.map((name, i) => [name, counts[i]]).filter(([, count]) => Number(count) > 0));
}

/** Records in a connector's retry topic: > 0 means the runtime parked at least one event of it. */
export async function parkedCount(prefix: string, connector: string): Promise<number> {
  const [count] = await recordCounts([`${prefix}${INTERNAL_TOPICS.retry(connector)}`]);
  return count;
}
