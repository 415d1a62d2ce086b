/**
 * Every event type of the catalogue, encoded by the codec against the real built-in registry,
 * produced to its real (prefixed) topic with its CloudEvents headers, consumed by a consumer
 * group and decoded back to the same value.
 */
import { randomUUID } from 'node:crypto';
import { Bus, fromEventHeaders, loadBusConfig, toEventHeaders } from '../../hub/bus/index.js';
import { createLogger } from '../../hub/log/logger.js';
import { SchemaRegistryClient } from '../../hub/schema/client/index.js';
import { AvroCodec } from '../../hub/schema/codec/index.js';
import { createRegistryServer, type RegistryServer } from '../../hub/schema/registry/index.js';
import { schemaCatalog } from '../../schemas/schema-catalog.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import type { EventFullName } from '../../catalogue/index.js';
import { DOMAIN_TOPICS, topicName } from '../../catalogue/index.js';
import { applyTopics } from '../../topics/provision.js';
import { eventually, uniquePrefix } from '../kit/isolation.js';

const logger = createLogger('events-test', { level: 'warn' });
const config = loadBusConfig();
const bus = new Bus(config, logger, 'events-test');
const admin = bus.admin();
const prefix = uniquePrefix('ev');
const registryTopic = `${prefix}_schemas`;
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
let registry: RegistryServer;
let registryUrl: string;

beforeAll(async () => {
  await admin.connect();
  await applyTopics(admin, { replicationFactor: 1, minInsyncReplicas: 1, prefix });
  registry = createRegistryServer({ port: 0, host: '127.0.0.1', topic: registryTopic, logger });
  registryUrl = await registry.start();
});

afterAll(async () => {
  await registry.stop();
  await admin.delete([...DOMAIN_TOPICS.map((spec) => topicName(spec, prefix)), registryTopic]);
  await admin.close();
});

describe('every event type through its real topic', () => {
  it('is produced with its headers, consumed and decoded to the value that was sent', async () => {
    const producerCodec = new AvroCodec({ registry: new SchemaRegistryClient({ url: registryUrl }) });
    const consumerCodec = new AvroCodec({ registry: new SchemaRegistryClient({ url: registryUrl }) });
    const producer = bus.producer();
    const events = schemaCatalog().events;
    const sent = new Map<string, { fullName: string; ceType: string; topic: string }>();

    for (const event of events) {
      const id = randomUUID();
      const value = EXAMPLE_EVENTS[event.fullName as EventFullName];
      sent.set(id, { fullName: event.fullName, ceType: event.ceType, topic: event.topicName(prefix) });
      await producer.send({
        topic: event.topicName(prefix),
        key: `key-${event.eventType}`,
        value: await producerCodec.encode(event.subject(prefix), value),
        headers: toEventHeaders({ id, source: event.topic.system, type: event.ceType, time: new Date().toISOString(), correlationId: 'flow-1' }),
      });
    }
    await producer.close();

    const received = new Map<string, { topic: string; fullName: string | undefined; value: unknown; ceType: string }>();
    const consumer = bus.consumer({
      groupId: `${prefix}reader`, topics: DOMAIN_TOPICS.map((spec) => topicName(spec, prefix)), fromBeginning: true, partitionsConcurrently: 3, logger,
      handle: async (record) => {
        const metadata = fromEventHeaders(record.headers);
        const decoded = await consumerCodec.decode(record.value!);
        received.set(metadata.id, { topic: record.topic, fullName: decoded.fullName, value: decoded.value, ceType: metadata.type });
      },
    });
    await consumer.start();
    try {
      await eventually(() => (received.size >= events.length ? true : undefined), 30000, `${events.length} events`);
    } finally {
      await consumer.stop();
    }

    expect(received.size).toBe(events.length);
    for (const [id, expected] of sent) {
      const got = received.get(id)!;
      expect({ topic: got.topic, fullName: got.fullName, ceType: got.ceType }).toEqual(expected);
      expect(plain(got.value)).toEqual(plain(EXAMPLE_EVENTS[expected.fullName as EventFullName]));
    }
  });
});
