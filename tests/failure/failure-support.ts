/**
 * What the failure tests share: one running system and a bus client per file (started before
 * its tests, stopped after them), HTTP calls to the running services, seeding customers through
 * the CRM, counting effects in the ERP, and a bus client on the system's prefix (raw and
 * encoded records onto its topics, the dead-letter API).
 */
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { loadBusConfig, BusProducer, toEventHeaders } from '../../hub/bus/index.js';
import { createLogger } from '../../hub/log/logger.js';
import { DeadLetters, type DeadLetter } from '../../hub/runtime/dead-letters.js';
import { SchemaRegistryClient } from '../../hub/schema/client/registry-client.js';
import { AvroCodec } from '../../hub/schema/codec/avro-codec.js';
import { createRedis, loadRedisUrl, type Redis } from '../../hub/state/redis.js';
import { eventSchema } from '../../schemas/schema-catalog.js';
import type { EventFullName, EventTypeMap } from '../../catalogue/index.js';
import { startSystem, withSystemLog, type RunningSystem, type SystemOptions } from '../support/system.js';
import { eventually } from '../support/isolation.js';

/** An HTTP answer: status and parsed JSON body. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** One JSON call to a service; never throws for a 4xx/5xx (the caller asserts). */
export async function call(baseUrl: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Like {@link call}, but a status outside 2xx is an error naming the route and the answer. */
export async function ok<T>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const answer = await call(baseUrl, method, path, body);
  if (answer.status < 200 || answer.status > 299) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body as T;
}

const ADDRESS = { line1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', country: 'DE' };

/**
 * Creates `count` ENTERPRISE customers in the CRM and waits until the ERP has an account for
 * each (flow 1 ran for them), so orders placed afterwards need no waiting on a dependency.
 */
export async function seedCustomersWithAccounts(system: RunningSystem, count: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const customer = await ok<{ id: string }>(system.urls.crm, 'POST', '/customers', {
      name: `${label} customer ${i}`, email: `${label}-${i}@example.com`, segment: 'ENTERPRISE', billingAddress: ADDRESS,
    });
    ids.push(customer.id);
  }
  for (const id of ids) {
    await eventually(async () => ((await call(system.urls.erp, 'GET', `/accounts/${id}`)).status === 200 ? true : undefined), 90000, `the ERP account of ${id}`);
  }
  return ids;
}

/** Places `count` orders round-robin over `customers`, `parallel` requests at a time; returns their ids. */
export async function placeOrders(system: RunningSystem, customers: readonly string[], count: number, parallel = 10): Promise<string[]> {
  const ids: string[] = new Array<string>(count);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) {
      const order = await ok<{ id: string }>(system.urls.crm, 'POST', '/orders', {
        customerId: customers[i % customers.length], lines: [{ sku: `SKU-F${i % 7}`, quantity: 1 + (i % 3) }],
      });
      ids[i] = order.id;
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return ids;
}

/** How many ERP sales orders each CRM order id has (every sales order of the ERP). */
export async function salesOrdersPerCrmOrder(system: RunningSystem): Promise<Map<string, number>> {
  const orders = await ok<{ crmOrderId: string }[]>(system.urls.erp, 'GET', '/sales-orders');
  const counts = new Map<string, number>();
  for (const order of orders) counts.set(order.crmOrderId, (counts.get(order.crmOrderId) ?? 0) + 1);
  return counts;
}

/**
 * Waits until every one of `crmOrderIds` has a sales order in the ERP; then returns the ids
 * with a count other than one (missing ones cannot remain: the wait would have failed).
 */
export async function expectEachOrderOnce(system: RunningSystem, crmOrderIds: readonly string[], timeoutMs: number): Promise<{ missing: string[]; duplicated: string[] }> {
  let counts = new Map<string, number>();
  try {
    await eventually(async () => {
      counts = await salesOrdersPerCrmOrder(system);
      return crmOrderIds.every((id) => counts.has(id)) ? true : undefined;
    }, timeoutMs, `a sales order for each of ${crmOrderIds.length} CRM orders`);
  } catch {
    // Fall through: the caller's assertion names the missing orders.
  }
  return {
    missing: crmOrderIds.filter((id) => !counts.has(id)),
    duplicated: crmOrderIds.filter((id) => (counts.get(id) ?? 0) > 1),
  };
}

/** A bus client on a running system's prefix: records onto its topics and its dead letters. */
export interface SystemBus {
  readonly kafka: Kafka;
  readonly redis: Redis;
  readonly deadLetters: DeadLetters;
  /** Encodes and publishes a catalogue event (as a service would), with CloudEvents headers. */
  publish<K extends EventFullName>(eventType: K, key: string, value: EventTypeMap[K]): Promise<string>;
  /** Publishes raw bytes with the headers of a valid `eventType` event; returns its ce_id. */
  publishRaw(eventType: EventFullName, key: string, value: Buffer): Promise<string>;
  /** The connector's dead letters (its prefixed `switchboard.dlq.<connector>` topic). */
  deadLettersOf(connector: string): Promise<DeadLetter[]>;
  close(): Promise<void>;
}

export async function openSystemBus(system: RunningSystem): Promise<SystemBus> {
  const logger = createLogger('failure-test', { level: 'warn' });
  const kafka = createKafka(loadBusConfig(), logger, 'failure-test');
  const redis = createRedis(loadRedisUrl(), logger, 'failure-test');
  const producer = new BusProducer(kafka, logger);
  const codec = new AvroCodec({ registry: new SchemaRegistryClient({ url: system.registryUrl, timeoutMs: 5000 }) });
  const deadLetters = new DeadLetters({ kafka, redis, producer, prefix: system.prefix });
  const headersFor = (eventType: EventFullName, id: string) => {
    const schema = eventSchema(eventType);
    return toEventHeaders({ id, source: schema.topic.system, type: schema.ceType, time: new Date().toISOString(), correlationId: id });
  };
  return {
    kafka,
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

/** The running system and its bus client of one failure-test file. */
export interface FailureSystem {
  readonly system: RunningSystem;
  readonly bus: SystemBus;
}

/** {@link FailureSystem}, readable once the file's `beforeAll` ran, and a wrapper for test bodies. */
export interface FailureRig extends FailureSystem {
  /** A test body that gets the system and bus; a failure carries the system's log tail. */
  diagnosed(body: (started: FailureSystem) => Promise<void>): () => Promise<void>;
}

/**
 * Registers a `beforeAll` that starts the system (`options`) and opens a bus client on it, and
 * an `afterAll` that stops both. A `beforeAll` declared after this call can seed the system.
 *
 * @example
 * ```ts
 * const rig = useFailureSystem({ connectors: ['crm-order-to-erp'], workers: 2 });
 * it('applies each order once', rig.diagnosed(async ({ system, bus }) => { ... }));
 * ```
 */
export function useFailureSystem(options: SystemOptions): FailureRig {
  let system: RunningSystem | undefined;
  let bus: SystemBus | undefined;

  beforeAll(async () => {
    system = await startSystem(options);
    bus = await openSystemBus(system);
  }, 240000);

  afterAll(async () => {
    // Processes first, so no worker writes state after the bus client drops the prefix's Redis keys.
    await system?.stop();
    await bus?.close();
  });

  const started = (): FailureSystem => {
    if (!system || !bus) throw new Error('the failure system is not started: use it inside tests and hooks');
    return { system, bus };
  };
  return {
    get system() { return started().system; },
    get bus() { return started().bus; },
    diagnosed: (body) => () => {
      const current = started();
      return withSystemLog(current.system, () => body(current));
    },
  };
}
