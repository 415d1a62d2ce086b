/**
 * The outbox relay against the real local broker and Switchboard's built-in registry (in this
 * process, on its own `_schemas_test_*` topic): what it publishes decodes with the registry
 * codec and a Confluent client, carries its headers, keeps per-key order, and a relay that
 * dies between the broker's acknowledgement and `markSent` loses nothing.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { AVRO_CONTENT_TYPE, Bus, childTraceparent, fromEventHeaders, loadBusConfig, type ConsumedRecord } from '../../hub/bus/index.js';
import { createLogger } from '../../hub/log/logger.js';
import { OutboxRelay } from '../../hub/outbox/outbox-relay.js';
import {
  Collector, createPrefixedTopics, deleteTopics, exampleEvent, numberedCustomerEvent, publishEvent, startRelay, startTestRegistry, tempOutboxDb,
} from '../kit/outbox-harness.js';
import { SchemaRegistryClient } from '../../hub/schema/client/registry-client.js';
import { AvroCodec } from '../../hub/schema/codec/avro-codec.js';
import { DecimalType } from '../../hub/schema/decimal-type.js';
import type { RegistryServer } from '../../hub/schema/registry/index.js';
import { Outbox } from '../../hub/service/outbox.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { eventSchema, schemaCatalog } from '../../schemas/schema-catalog.js';
import type { EventFullName } from '../../catalogue/index.js';
import { DOMAIN_TOPICS, eventEntry, topicName } from '../../catalogue/index.js';
import { eventually, uniquePrefix } from '../kit/isolation.js';

const logger = createLogger('outbox-int', { level: 'silent' });
const bus = loadBusConfig();
const prefix = uniquePrefix('ob');
const topics = DOMAIN_TOPICS.map((spec) => topicName(spec, prefix));
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
let groups = 0;
const nextGroup = (): string => `${prefix}g${(groups += 1)}`;

let registry: { server: RegistryServer; url: string; client: SchemaRegistryClient };

beforeAll(async () => {
  registry = await startTestRegistry(prefix, logger);
  await createPrefixedTopics(bus, prefix, logger);
});
afterAll(async () => {
  await registry.server.stop();
  await deleteTopics(bus, [...topics, `_schemas_test_${prefix.replace(/\W/g, '')}`], logger);
});

/** The records among `records` whose ce_id is in `ids`, grouped by ce_id. */
function byId(records: readonly ConsumedRecord[], ids: ReadonlySet<string>): Map<string, ConsumedRecord[]> {
  const result = new Map<string, ConsumedRecord[]>();
  for (const record of records) {
    const id = record.headers.ce_id ?? '';
    if (!ids.has(id)) continue;
    result.set(id, [...(result.get(id) ?? []), record]);
  }
  return result;
}

/** Per key, the `#n` names in arrival order, each event counted once (first arrival). */
async function namesPerKey(records: readonly ConsumedRecord[], ids: ReadonlySet<string>): Promise<Map<string, number[]>> {
  const codec = new AvroCodec({ registry: new SchemaRegistryClient({ url: registry.url }) });
  const seen = new Set<string>();
  const perKey = new Map<string, number[]>();
  // Records of one partition arrive in offset order; a key lives on one partition.
  for (const record of records) {
    const id = record.headers.ce_id ?? '';
    if (!ids.has(id) || seen.has(id)) continue;
    seen.add(id);
    const decoded = await codec.decode<{ name: string }>(record.value ?? Buffer.alloc(0));
    const key = record.key?.toString() ?? '';
    perKey.set(key, [...(perKey.get(key) ?? []), Number(decoded.value.name.slice(1))]);
  }
  return perKey;
}

/**
 * Asserts every id arrived, and that each repeat is the same event (same ce_id, key, value,
 * headers), but for its `traceparent`: each send is a span of its own (a repeat shows in the trace).
 */
async function expectAllOnceOrIdenticalRepeats(collector: Collector, written: ReadonlySet<string>): Promise<Map<string, ConsumedRecord[]>> {
  const arrived = await eventually(() => {
    const grouped = byId(collector.records, written);
    return grouped.size === written.size ? grouped : undefined;
  }, 60_000, `${written.size} events to arrive`);
  expect(new Set(arrived.keys())).toEqual(written);
  for (const copies of arrived.values()) {
    for (const copy of copies.slice(1)) {
      expect(copy.key).toEqual(copies[0].key);
      expect(copy.value).toEqual(copies[0].value);
      expect({ ...copy.headers, traceparent: undefined }).toEqual({ ...copies[0].headers, traceparent: undefined });
      expect(copy.partition).toBe(copies[0].partition);
    }
  }
  return arrived;
}

describe('outbox relay against the real broker', () => {
  it('publishes every event type on its prefixed topic, decodable by the registry codec and a Confluent client, with its headers', async () => {
    const store = tempOutboxDb();
    const running = startRelay(store.outbox, bus, registry.url, prefix, logger);
    const collector = await Collector.start(bus, topics, nextGroup(), logger);
    try {
      const catalog = schemaCatalog();
      const expected = new Map<string, { fullName: EventFullName; key: string; causationId: string; traceparent: string; occurredAt: number }>();
      catalog.events.forEach((event, i) => {
        const fullName = event.fullName as EventFullName;
        const meta = { key: `key-${i}`, causationId: randomUUID(), traceparent: childTraceparent(), occurredAt: Date.parse('2024-05-06T09:00:00.000Z') + i };
        const row = exampleEvent(fullName, meta.key, { causationId: meta.causationId, traceparent: meta.traceparent, occurredAt: meta.occurredAt });
        const { eventId } = store.outbox.transaction(() => publishEvent(store.outbox, row));
        expected.set(eventId, { fullName, ...meta });
      });

      const arrived = await expectAllOnceOrIdenticalRepeats(collector, new Set(expected.keys()));
      const codec = new AvroCodec({ registry: new SchemaRegistryClient({ url: registry.url }) });
      const foreign = new SchemaRegistry({ host: registry.url }, { forSchemaOptions: { logicalTypes: { decimal: DecimalType } } });
      for (const [eventId, want] of expected) {
        const record = (arrived.get(eventId) ?? [])[0];
        const schema = eventSchema(want.fullName);
        expect(record.topic).toBe(schema.topicName(prefix));
        expect(record.key?.toString()).toBe(want.key);

        const decoded = await codec.decodeEvent(record.value ?? Buffer.alloc(0));
        expect(decoded.fullName).toBe(want.fullName);
        const sentValue = { ...EXAMPLE_EVENTS[want.fullName], [eventEntry(want.fullName).keyField]: want.key };
        expect(plain(decoded.value)).toEqual(plain(sentValue));
        expect(plain(await foreign.decode(record.value ?? Buffer.alloc(0)))).toEqual(plain(sentValue));

        expect(record.headers).toEqual({
          ce_specversion: '1.0',
          ce_id: eventId,
          ce_source: schema.topic.system,
          ce_type: schema.ceType,
          ce_time: new Date(want.occurredAt).toISOString(),
          'content-type': AVRO_CONTENT_TYPE,
          correlation_id: `flow-${want.key}`,
          causation_id: want.causationId,
          // The relay's send span: a child of the row's trace context, in the same trace.
          traceparent: expect.stringMatching(new RegExp(`^00-${want.traceparent.slice(3, 35)}-(?!${want.traceparent.slice(36, 52)})[0-9a-f]{16}-01$`)),
        });
        expect(fromEventHeaders(record.headers)).toMatchObject({ id: eventId, type: schema.ceType });
      }
      // The subjects were registered under the prefix with the TopicRecordNameStrategy.
      const subjects = await registry.client.listSubjects();
      for (const event of catalog.events) expect(subjects).toContain(event.subject(prefix));

      expect(running.relay.status()).toMatchObject({ state: 'idle', backlog: 0, sent: expected.size, lastError: null });
    } finally {
      await collector.stop();
      await running.close();
      store.remove();
    }
  });

  it('keeps each key in commit order across many transactions written while the relay runs', async () => {
    const store = tempOutboxDb();
    const running = startRelay(store.outbox, bus, registry.url, prefix, logger, { batchSize: 200 });
    const collector = await Collector.start(bus, [topicName({ system: 'crm', aggregate: 'customer', major: 1 }, prefix)], nextGroup(), logger);
    try {
      const keys = Array.from({ length: 40 }, (_, i) => `order-key-${i}-${randomUUID().slice(0, 4)}`);
      const next = new Map(keys.map((key) => [key, 0]));
      const written = new Set<string>();
      const perEvent = 60;
      let remaining = keys.length * perEvent;
      while (remaining > 0) {
        // Transactions of 1..25 rows over random keys, with pauses so batches form mid-stream.
        const size = Math.min(remaining, 1 + Math.floor(Math.random() * 25));
        store.outbox.transaction(() => {
          for (let i = 0; i < size; i += 1) {
            const open = keys.filter((key) => (next.get(key) ?? 0) < perEvent);
            const key = open[Math.floor(Math.random() * open.length)];
            const n = next.get(key) ?? 0;
            next.set(key, n + 1);
            written.add(publishEvent(store.outbox, numberedCustomerEvent(key, n)).eventId);
          }
        });
        remaining -= size;
        if (Math.random() < 0.2) await new Promise((resolve) => setTimeout(resolve, 1));
      }

      const arrived = await expectAllOnceOrIdenticalRepeats(collector, written);
      const perKey = await namesPerKey(collector.records, written);
      expect(perKey.size).toBe(keys.length);
      for (const names of perKey.values()) expect(names).toEqual(Array.from({ length: perEvent }, (_, i) => i));
      // One key, one partition.
      const partitions = new Map<string, Set<number>>();
      for (const copies of arrived.values()) {
        const key = copies[0].key?.toString() ?? '';
        partitions.set(key, (partitions.get(key) ?? new Set()).add(copies[0].partition));
      }
      for (const set of partitions.values()) expect(set.size).toBe(1);
      expect(running.relay.status()).toMatchObject({ backlog: 0, lastError: null });
    } finally {
      await collector.stop();
      await running.close();
      store.remove();
    }
  });

  it('a relay that dies after the acknowledgement but before markSent loses nothing; the next one re-sends with the same ce_id', async () => {
    const store = tempOutboxDb();
    const collector = await Collector.start(bus, [topicName({ system: 'crm', aggregate: 'customer', major: 1 }, prefix)], nextGroup(), logger);
    const keys = ['crash-a', 'crash-b', 'crash-c'].map((key) => `${key}-${randomUUID().slice(0, 4)}`);
    const written = new Set<string>();
    store.outbox.transaction(() => {
      for (let n = 0; n < 30; n += 1) for (const key of keys) written.add(publishEvent(store.outbox, numberedCustomerEvent(key, n)).eventId);
    });

    // The first relay's process "dies" at its first markSent: the batch is on the broker, the rows still unsent.
    let died = false;
    const dying: Pick<Outbox, 'readUnsent' | 'markSent' | 'pruneSent' | 'backlog' | 'onCommitted'> = {
      readUnsent: (limit) => (died ? [] : store.outbox.readUnsent(limit)),
      markSent: () => {
        died = true;
        throw new Error('simulated crash between acknowledgement and markSent');
      },
      pruneSent: () => 0,
      backlog: () => store.outbox.backlog(),
      onCommitted: (listener) => store.outbox.onCommitted(listener),
    };
    const producer = new Bus(bus, logger, 'outbox-crash').producer();
    const codec = new AvroCodec({ registry: new SchemaRegistryClient({ url: registry.url }) });
    const crashing = new OutboxRelay({ outbox: dying, producer, codec, logger, topicPrefix: prefix, batchSize: 40 });
    crashing.start();
    await eventually(() => (died ? true : undefined), 20_000, 'the simulated crash');
    await crashing.stop();
    await producer.close();
    expect(store.outbox.backlog()).toBe(written.size);
    // The dead relay's batch is on the broker already.
    await eventually(() => (byId(collector.records, written).size === 40 ? true : undefined), 20_000, 'the first batch');

    const second = startRelay(store.outbox, bus, registry.url, prefix, logger, { batchSize: 40 });
    try {
      const arrived = await expectAllOnceOrIdenticalRepeats(collector, written);
      const repeated = [...arrived.values()].filter((copies) => copies.length > 1);
      expect(repeated).toHaveLength(40); // exactly the batch that was acknowledged but not marked
      await eventually(() => (store.outbox.backlog() === 0 ? true : undefined), 20_000, 'backlog 0');

      for (const names of (await namesPerKey(collector.records, written)).values()) expect(names).toEqual(Array.from({ length: 30 }, (_, i) => i));
    } finally {
      await collector.stop();
      await second.close();
      store.remove();
    }
  });

  it('a relay process killed with SIGKILL mid-stream loses nothing; duplicates carry the same ce_id', async () => {
    const store = tempOutboxDb();
    const collector = await Collector.start(bus, [topicName({ system: 'crm', aggregate: 'customer', major: 1 }, prefix)], nextGroup(), logger);
    const keys = Array.from({ length: 20 }, (_, i) => `kill-${i}-${randomUUID().slice(0, 4)}`);
    const next = new Map(keys.map((key) => [key, 0]));
    const written = new Set<string>();
    const write = (rows: number): void =>
      store.outbox.transaction(() => {
        for (let i = 0; i < rows; i += 1) {
          const key = keys[Math.floor(Math.random() * keys.length)];
          const n = next.get(key) ?? 0;
          next.set(key, n + 1);
          written.add(publishEvent(store.outbox, numberedCustomerEvent(key, n)).eventId);
        }
      });
    write(3000);

    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../kit/relay-child.ts', import.meta.url))], {
      env: { ...process.env, OUTBOX_DB_PATH: store.path, OUTBOX_TOPIC_PREFIX: prefix, OUTBOX_REGISTRY_URL: registry.url, OUTBOX_BATCH_SIZE: '50', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const sentRows = (): number => (store.db.prepare('SELECT count(*) AS n FROM outbox WHERE sent_at IS NOT NULL').get() as { n: number }).n;
    try {
      // Keep writing while the child publishes, and kill it once it is well into the stream.
      await eventually(async () => {
        write(20);
        await new Promise((resolve) => setTimeout(resolve, 2));
        return sentRows() >= 600 ? true : undefined;
      }, 60_000, 'the child relay to publish 600 rows');
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const left = store.outbox.backlog();
      expect(left).toBeGreaterThan(0); // it died mid-stream
      write(100); // and the service kept writing

      const second = startRelay(store.outbox, bus, registry.url, prefix, logger, { batchSize: 50 });
      try {
        await expectAllOnceOrIdenticalRepeats(collector, written);
        await eventually(() => (store.outbox.backlog() === 0 ? true : undefined), 20_000, 'backlog 0');
        const perKey = await namesPerKey(collector.records, written);
        for (const [key, names] of perKey) expect(names).toEqual(Array.from({ length: next.get(key) ?? 0 }, (_, i) => i));
      } finally {
        await second.close();
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await collector.stop();
      store.remove();
    }
  });
});
