/**
 * The transactional outbox end to end: SQLite commit → relay (read, Avro-encode, headers) →
 * broker acknowledgement (acks=all) → markSent, against bare kafkajs producing the same
 * already-encoded events with the same producer settings. Two questions:
 *  - rate: N events committed as fast as possible (transactions of 1 and of 100); how fast
 *    are they all acknowledged and marked sent?
 *  - latency: at a fixed moderate rate, how long from commit to acknowledgement (p50/p99)?
 * Uses a real file database (WAL), the built-in registry in-process on a private topic,
 * and prefixed topics on the local broker, deleted afterwards.
 */
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import { Bus, loadBusConfig, type OutgoingRecord } from '../hub/bus/index.js';
import { createLogger } from '../hub/log/logger.js';
import { OutboxRelay, type RecordPublisher } from '../hub/outbox/outbox-relay.js';
import { routeOf, toOutgoingRecord } from '../hub/outbox/records.js';
import { createPrefixedTopics, deleteTopics, numberedCustomerEvent, publishEvent, startTestRegistry, tempOutboxDb } from '../tests/kit/outbox-harness.js';
import { SchemaRegistryClient } from '../hub/schema/client/registry-client.js';
import { AvroCodec } from '../hub/schema/codec/avro-codec.js';
import type { OutboxRow } from '../hub/service/outbox.js';
import { eventEntry, keyOf, topicName } from '../catalogue/index.js';
import { PeakRss, percentile, report, round, type Figure } from './support/measure.js';

const { Partitioners } = kafkajs;
const EVENTS = Number(process.env.BENCH_OUTBOX_EVENTS ?? 20_000);
const RATE = Number(process.env.BENCH_OUTBOX_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_OUTBOX_SECONDS ?? 10);
const KEYS = Array.from({ length: 200 }, (_, i) => `C-${i}`);

const logger = createLogger('bench', { level: 'warn' });
const bus = loadBusConfig();
// The bare kafkajs client is the baseline producer; the relay's producer comes from hub/bus.
const kafka = new kafkajs.Kafka({ clientId: 'bench-outbox-bare', brokers: [...bus.brokers], logLevel: kafkajs.logLevel.NOTHING });
const prefix = `bench.${randomUUID().slice(0, 8)}.`;
const topic = topicName({ system: 'crm', aggregate: 'customer', major: 1 }, prefix);

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean): Promise<void> {
  while (!done()) await pause(1);
}

/** Calls `fire(i)` `rate` times a second for `seconds`, catching up when a tick runs late. */
async function paced(rate: number, seconds: number, fire: (i: number) => void): Promise<number> {
  const total = Math.round(rate * seconds);
  const started = performance.now();
  let fired = 0;
  while (fired < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
    while (fired < due) fire(fired++);
    await pause(1);
  }
  return total;
}

/** Passes records to the producer and notes when each ce_id was acknowledged. */
class TimedPublisher implements RecordPublisher {
  readonly ackedAt = new Map<string, number>();
  constructor(private readonly inner: RecordPublisher) {}
  async sendAll(records: readonly OutgoingRecord[]): Promise<void> {
    await this.inner.sendAll(records);
    const now = performance.now();
    for (const record of records) this.ackedAt.set(record.headers?.ce_id ?? '', now);
  }
}

interface OutboxRun {
  readonly store: ReturnType<typeof tempOutboxDb>;
  readonly relay: OutboxRelay;
  readonly publisher: TimedPublisher;
  close(): Promise<void>;
}

async function startOutbox(registryUrl: string): Promise<OutboxRun> {
  const store = tempOutboxDb('bench');
  const producer = new Bus(bus, logger, 'bench-outbox').producer();
  await producer.connect();
  const publisher = new TimedPublisher(producer);
  const codec = new AvroCodec({ registry: new SchemaRegistryClient({ url: registryUrl }) });
  const relay = new OutboxRelay({ outbox: store.outbox, producer: publisher, codec, logger, topicPrefix: prefix });
  relay.start();
  return {
    store, relay, publisher,
    async close() {
      await relay.stop();
      await producer.close();
      store.remove();
    },
  };
}

/** Commits `events` rows in transactions of `perTransaction`, yielding to the relay between bursts; events/s until all are acknowledged and marked sent. */
async function outboxRate(run: OutboxRun, events: number, perTransaction: number): Promise<number> {
  const { outbox } = run.store;
  const target = run.publisher.ackedAt.size + events;
  const started = performance.now();
  let written = 0;
  while (written < events) {
    // A burst of ~100 rows per macrotask, like a busy API handling several requests per tick.
    for (let burst = 0; burst < 100 && written < events; ) {
      const size = Math.min(perTransaction, events - written);
      outbox.transaction(() => {
        for (let i = 0; i < size; i += 1) publishEvent(outbox, numberedCustomerEvent(KEYS[(written + i) % KEYS.length], written + i));
      });
      written += size;
      burst += size;
    }
    await tick();
  }
  // Counting acknowledgements, not the table: a COUNT per poll would steal the relay's CPU.
  await until(() => run.publisher.ackedAt.size >= target);
  const seconds = (performance.now() - started) / 1000;
  if (run.store.outbox.backlog() !== 0) throw new Error('acknowledged rows were not marked sent');
  return events / seconds;
}

/** Commits alone, no relay: the share of the rate the service's own writes take. */
function commitOnlyRate(events: number, perTransaction: number): number {
  const store = tempOutboxDb('bench-commit');
  try {
    const started = performance.now();
    for (let written = 0; written < events; written += perTransaction) {
      store.outbox.transaction(() => {
        for (let i = 0; i < perTransaction; i += 1) publishEvent(store.outbox, numberedCustomerEvent(KEYS[(written + i) % KEYS.length], written + i));
      });
    }
    return events / ((performance.now() - started) / 1000);
  } finally {
    store.remove();
  }
}

/** Commit→ack latencies (ms) at a fixed rate, one event per transaction. */
async function outboxLatency(run: OutboxRun): Promise<number[]> {
  const committedAt = new Map<string, number>();
  const { outbox } = run.store;
  const total = await paced(RATE, SECONDS, (i) => {
    const { eventId } = outbox.transaction(() => publishEvent(outbox, numberedCustomerEvent(KEYS[i % KEYS.length], i)));
    committedAt.set(eventId, performance.now());
  });
  await until(() => [...committedAt.keys()].every((id) => run.publisher.ackedAt.has(id)));
  if (committedAt.size !== total) throw new Error('lost events');
  return [...committedAt].map(([id, at]) => (run.publisher.ackedAt.get(id) ?? NaN) - at);
}

/** The same events, encoded once up front, as kafkajs messages. */
async function encodedEvents(registryUrl: string, count: number): Promise<OutgoingRecord[]> {
  const codec = new AvroCodec({ registry: new SchemaRegistryClient({ url: registryUrl }) });
  const records: OutgoingRecord[] = [];
  for (let i = 0; i < count; i += 1) {
    const input = numberedCustomerEvent(KEYS[i % KEYS.length], i);
    const entry = eventEntry(input.type);
    const row: OutboxRow = {
      seq: i, eventId: randomUUID(), system: entry.system, aggregate: entry.aggregate, eventType: entry.name, key: keyOf(input.type, input.value),
      payload: JSON.stringify(input.value), correlationId: input.value.customerId, causationId: null, traceparent: null, occurredAt: Date.now(), sentAt: null,
    };
    const route = routeOf(row, prefix);
    records.push(toOutgoingRecord(row, route, await codec.encode(route.subject, input.value)));
  }
  return records;
}

function bareProducer(): kafkajs.Producer {
  // The settings BusProducer uses: idempotent, acks=all, one request in flight, Java partitioner.
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, retry: { retries: 8 } });
}

const toMessages = (records: readonly OutgoingRecord[]) => records.map((r) => ({ key: r.key, value: r.value, headers: r.headers as Record<string, string> }));

/** Bare kafkajs: the pre-encoded events in requests of 500 (the relay's batch size), back to back; events/s. */
async function bareRate(records: readonly OutgoingRecord[]): Promise<number> {
  const producer = bareProducer();
  await producer.connect();
  const started = performance.now();
  for (let i = 0; i < records.length; i += 500) {
    await producer.sendBatch({ topicMessages: [{ topic, messages: toMessages(records.slice(i, i + 500)) }], acks: -1 });
  }
  const rate = records.length / ((performance.now() - started) / 1000);
  await producer.disconnect();
  return rate;
}

/**
 * Bare kafkajs at the same fixed rate: each event is produced when it is due; while a request
 * is in flight (one at a time, as the idempotent producer needs) the due events wait and go
 * together in the next one. Latency is due time → acknowledgement.
 */
async function bareLatency(records: readonly OutgoingRecord[]): Promise<number[]> {
  const producer = bareProducer();
  await producer.connect();
  const dueAt: number[] = [];
  const latencies: number[] = [];
  let queue: number[] = [];
  let sending: Promise<void> | undefined;
  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      await producer.send({ topic, acks: -1, messages: toMessages(batch.map((i) => records[i])) });
      const now = performance.now();
      for (const i of batch) latencies.push(now - dueAt[i]);
    }
    sending = undefined;
  };
  const total = await paced(RATE, SECONDS, (i) => {
    dueAt[i] = performance.now();
    queue.push(i);
    sending ??= drain();
  });
  await until(() => latencies.length >= total);
  await producer.disconnect();
  return latencies;
}

const rss = new PeakRss();
const registry = await startTestRegistry(prefix, logger);
const topics = await createPrefixedTopics(bus, prefix, logger);
try {
  const records = await encodedEvents(registry.url, Math.max(EVENTS, Math.round(RATE * SECONDS)));
  await bareRate(records.slice(0, 2000)); // warm-up: connections, JIT

  const run = await startOutbox(registry.url);
  let rate1: number;
  let rate100: number;
  let outboxLat: number[];
  try {
    await outboxRate(run, 2000, 100); // warm-up: schema registration, producer connection, JIT
    rate1 = await outboxRate(run, EVENTS, 1);
    rate100 = await outboxRate(run, EVENTS, 100);
  } finally {
    await run.close();
  }
  // A fresh database for the latency run, so it does not pay for the rate runs' WAL and rows.
  const paced = await startOutbox(registry.url);
  try {
    await outboxRate(paced, 500, 1);
    outboxLat = await outboxLatency(paced);
  } finally {
    await paced.close();
  }
  const commit1 = commitOnlyRate(EVENTS, 1);
  const commit100 = commitOnlyRate(EVENTS, 100);
  const bare = await bareRate(records.slice(0, EVENTS));
  const bareLat = await bareLatency(records);

  const ms = (values: number[], p: number): number => round(percentile(values, p), 3);
  const [o50, o99, b50, b99] = [ms(outboxLat, 50), ms(outboxLat, 99), ms(bareLat, 50), ms(bareLat, 99)];
  const figures: Figure[] = [
    { name: 'outbox commit→ack, transactions of 1', value: Math.round(rate1), unit: 'events/s', note: `${EVENTS} CustomerUpdated events, 200 keys, file DB (WAL)` },
    { name: 'outbox commit→ack, transactions of 100', value: Math.round(rate100), unit: 'events/s', note: 'same events' },
    { name: 'commits alone (no relay), transactions of 1', value: Math.round(commit1), unit: 'events/s', note: 'the writes the rates above include' },
    { name: 'commits alone (no relay), transactions of 100', value: Math.round(commit100), unit: 'events/s' },
    { name: 'bare kafkajs, pre-encoded, requests of 500', value: Math.round(bare), unit: 'events/s', note: 'same producer settings (idempotent, acks=all, 1 in flight)' },
    { name: 'ratio outbox (tx of 1) ÷ bare kafkajs', value: round(rate1 / bare), unit: '×' },
    { name: 'ratio outbox (tx of 100) ÷ bare kafkajs', value: round(rate100 / bare), unit: '×' },
    { name: `outbox commit→ack p50 at ${RATE}/s`, value: o50, unit: 'ms', note: `${SECONDS} s, one event per transaction` },
    { name: `outbox commit→ack p99 at ${RATE}/s`, value: o99, unit: 'ms' },
    { name: `bare kafkajs due→ack p50 at ${RATE}/s`, value: b50, unit: 'ms', note: 'due events queue while one request is in flight' },
    { name: `bare kafkajs due→ack p99 at ${RATE}/s`, value: b99, unit: 'ms' },
    { name: 'latency ratio p50 outbox ÷ bare', value: round(o50 / b50), unit: '×' },
    { name: 'latency ratio p99 outbox ÷ bare', value: round(o99 / b99), unit: '×' },
  ];
  report({ bench: 'outbox', figures, peakRssMb: rss.stopMb() });
} finally {
  await registry.server.stop();
  await deleteTopics(bus, [...topics, `_schemas_test_${prefix.replace(/\W/g, '')}`], logger);
}
