/**
 * Peers: what a mature open-source pipeline and the broker itself do with the same work as
 * bench/connector-throughput.bench.ts, on the same broker, in the same run.
 *
 *  - Redpanda Connect (built once from its Go modules into the cache, see bench/peers/README.md)
 *    runs three pipelines, each its own process, each draining a topic pre-filled with the
 *    connector bench's records (BENCH_EVENTS, default 40 000, and BENCH_PASSTHROUGH_EVENTS, default
 *    200 000, for the passthrough, as that bench; 2000 keys; 6 partitions), runs long enough (seconds)
 *    that the rate is not the clock's granularity:
 *    passthrough topic→topic; Avro decode → mapping → Avro encode → topic through our schema
 *    registry; and decode → POST to a local target answering 200 at once, partitions in order.
 *    Rates are from the first to the last record at the output: the span of the output
 *    records' CreateTimes (stamped by the pipeline's producer), the target's clock at its
 *    first and last request; so process start and group join are not counted, as our bench
 *    does not count them. RSS is the pipeline process's peak (VmHWM). The output is read back
 *    and checked: every record decodes and carries the mapped fields and headers, and the
 *    records (requests) of each key that came after a later one of the same key are counted.
 *  - The broker's ceiling: Kafka's ProducerPerformance and ConsumerPerformance (the stack's
 *    3.9.1 jars), 300 B records, 6 partitions, acks=all.
 *
 * When `npm run bench` ran connector-throughput earlier in the same invocation (bench/run.ts
 * runs the benches in list order and hands later ones the reports so far in
 * BENCH_RUN_REPORTS), the report also divides our connector figures by the peer's. Run on its
 * own, it reports the peer and the ceiling only: results.json's connector figures would be
 * from another run, on another day's machine load.
 *
 * The report's peakRssMb is the largest peak of the Redpanda Connect processes, not this
 * Node process's (which only fills topics and observes).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { Bus, decodeHeaders, loadBusConfig, toEventHeaders, type BusAdmin, type BusProducer, type OutgoingRecord } from '../hub/bus/index.js';
import { createLogger } from '../hub/log/logger.js';
import { SchemaRegistryClient } from '../hub/schema/client/registry-client.js';
import { AvroCodec } from '../hub/schema/codec/avro-codec.js';
import { createRegistryServer } from '../hub/schema/registry/index.js';
import { EXAMPLE_EVENTS } from '../schemas/examples.js';
import type { EventFullName } from '../catalogue/index.js';
import { eventSchema } from '../schemas/schema-catalog.js';
import { cacheRoot } from '../stack/kafka-artifacts.js';
import { KAFKA_VERSION } from '../stack/kafka-version.js';
import { orderPlaced } from '../tests/kit/test-connectors.js';
import { consumerCeiling, ensureKafkaTools, producerCeiling } from './peers/kafka-tools.js';
import { avroConfig, decimalBytes, httpConfig, passthroughConfig } from './peers/pipelines.js';
import { connectorRates, ratioFigures, type ResultsFile } from './peers/ratios.js';
import { ensureRedpandaConnect } from './peers/redpanda-connect.js';
import { runPeer, type PeerRun } from './peers/run-peer.js';
import { report, round, type Figure } from './support/measure.js';

// The connector bench's records: same count, keys, values and headers.
const EVENTS = Number(process.env.BENCH_EVENTS ?? 40_000);
const PASSTHROUGH_EVENTS = Number(process.env.BENCH_PASSTHROUGH_EVENTS ?? 200_000);
const KEYS = 2000;
const CHUNK = 1000;
const CEILING_RECORDS = Number(process.env.BENCH_CEILING_RECORDS ?? 200_000);
const RECORD_SIZE = 300;
const HTTP_CONNECTOR = 'bench-topic-to-http';

const progress = (line: string) => process.stderr.write(`peers: ${line}\n`);
const build = ensureRedpandaConnect(progress);
const toolsClasspath = ensureKafkaTools(progress);

const bus = loadBusConfig();
if (bus.ssl || bus.sasl) throw new Error('the peers bench configures Redpanda Connect for a PLAINTEXT broker (the local stack); KAFKA_SSL/SASL are set');
const logger = createLogger('bench', { level: 'warn' });
// Reading back and cleaning up groups use a bare kafkajs client (benchmarks may; the product may not).
const kafka = new kafkajs.Kafka({ clientId: 'bench-peers', brokers: [...bus.brokers], logLevel: kafkajs.logLevel.NOTHING });
const switchboardBus = new Bus(bus, logger, 'peers');
const prefix = `benchpeers${Date.now().toString(36)}${randomBytes(3).toString('hex')}.`;
const runDir = join(cacheRoot(), 'peers', 'last-run');
mkdirSync(runDir, { recursive: true });

/** What the local HTTP target saw. */
interface TargetTally {
  requests: number;
  /** Requests of a key that came after a later order of the same key. */
  reordered: number;
  /** performance.now() of the first and the last request. */
  firstAt: number;
  lastAt: number;
  /** Requests unlike our connector's (path, body, idempotency key), up to three. */
  readonly bad: string[];
}

/** A target that answers every request 200 at once (keep-alive), keeping a TargetTally. */
async function startCountingTarget(): Promise<{ server: Server; url: string; tally: TargetTally }> {
  const tally: TargetTally = { requests: 0, reordered: 0, firstAt: 0, lastAt: 0, bad: [] };
  const lastOfKey = new Map<number, number>();
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      tally.lastAt = performance.now();
      if (tally.requests++ === 0) tally.firstAt = tally.lastAt;
      // /orders/O-<i>/placements carries O-<i>, whose key is K-<i % KEYS>.
      const match = /^\/orders\/O-(\d+)\/placements$/.exec(request.url ?? '');
      const i = match ? Number(match[1]) : NaN;
      if (!match || body !== JSON.stringify({ orderId: `O-${i}` }) || request.headers['idempotency-key'] !== `${HTTP_CONNECTOR}:${String(request.headers['x-causation-id'])}`) {
        if (tally.bad.length < 3) tally.bad.push(`${request.method} ${request.url} ${body} ${JSON.stringify(request.headers)}`);
      } else {
        if ((lastOfKey.get(i % KEYS) ?? -1) > i) tally.reordered++;
        lastOfKey.set(i % KEYS, i);
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tally };
}

/** Fills `topic` with `count` encoded events of `eventType`, keyed K-<i % KEYS>, each with a new ce_id. */
async function fill(codec: AvroCodec, producer: BusProducer, eventType: EventFullName, topic: string, valueOf: (i: number) => unknown, count = EVENTS): Promise<number> {
  const schema = eventSchema(eventType);
  let bytes = 0;
  for (let start = 0; start < count; start += CHUNK) {
    const records: OutgoingRecord[] = [];
    for (let i = start; i < Math.min(count, start + CHUNK); i++) {
      const key = `K-${i % KEYS}`;
      const value = await codec.encode(schema.subject(prefix), valueOf(i));
      bytes += value.length;
      const headers = toEventHeaders({ id: randomUUID(), source: schema.topic.system, type: schema.ceType, time: new Date().toISOString(), correlationId: key });
      records.push({ topic, key, value, headers });
    }
    await producer.sendAll(records);
  }
  return Math.round(bytes / count);
}

/** Records at the end of `topic` (sum of the partitions' high watermarks). */
async function endOffsets(admin: BusAdmin, topic: string): Promise<number> {
  return (await admin.topicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
}

interface ReadBack {
  /** The record's CreateTime: when the pipeline's producer made it. */
  readonly timestamp: number;
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Record<string, string | undefined>;
}

/** Reads the first `count` records of `topic`, in each partition's order. */
async function readBack(topic: string, count: number): Promise<ReadBack[]> {
  const records: ReadBack[] = [];
  const consumer = kafka.consumer({ groupId: `${prefix}readback.${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read back ${records.length} of ${count} records of ${topic}`)), 60_000);
      void consumer.run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) records.push({ timestamp: Number(m.timestamp), key: m.key?.toString() ?? '', value: m.value as Buffer, headers: decodeHeaders(m.headers) });
          if (records.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/**
 * Reads back a topic written by a pipeline and checks it: every record decodes as
 * `fullName`, `check` accepts it, and for each key the events arrive in the order they were
 * filled (their `name` is `Customer <i>`). Returns the rate (`count` over the span of the
 * records' CreateTimes, first to last) and the number of records that came after a later
 * one of their key.
 */
async function verify(codec: AvroCodec, topic: string, fullName: string, check: (record: ReadBack, value: Record<string, unknown>) => string | undefined, count = EVENTS): Promise<{ rate: number; reordered: number }> {
  const lastOfKey = new Map<string, number>();
  let reordered = 0;
  const records = await readBack(topic, count);
  for (const record of records) {
    const decoded = await codec.decode<Record<string, unknown>>(record.value);
    const problem = decoded.fullName !== fullName ? `is a ${decoded.fullName}` : check(record, decoded.value);
    if (problem) throw new Error(`${topic}: record of key ${record.key} ${problem}: ${JSON.stringify(decoded.value)} ${JSON.stringify(record.headers)}`);
    const i = Number(/^Customer (\d+)$/.exec(String(decoded.value.name))?.[1]);
    if ((lastOfKey.get(record.key) ?? -1) > i) reordered++;
    lastOfKey.set(record.key, i);
  }
  // A loop, not Math.max(...times): 200 000 arguments overflow the stack.
  let first = Infinity;
  let last = -Infinity;
  for (const { timestamp } of records) {
    if (timestamp < first) first = timestamp;
    if (timestamp > last) last = timestamp;
  }
  return { rate: rateOver(last - first, count), reordered };
}

/** `count` events over a span of milliseconds. */
function rateOver(ms: number, count = EVENTS): number {
  if (!(ms > 0)) throw new Error(`cannot take a rate over ${ms} ms`);
  return count / (ms / 1000);
}

const admin = switchboardBus.admin();
await admin.connect();
const groupAdmin = kafka.admin();
await groupAdmin.connect();
const registry = createRegistryServer({ port: 0, host: '127.0.0.1', topic: `${prefix}_schemas`, bus, logger, defaultCompatibility: 'BACKWARD_TRANSITIVE' });
const producer = switchboardBus.producer();
const target = await startCountingTarget();
try {
  const registryUrl = await registry.start();
  const codec = new AvroCodec({ registry: new SchemaRegistryClient({ url: registryUrl, timeoutMs: 5000 }) });
  const customerCreated = eventSchema('switchboard.crm.CustomerCreated');
  const accountOpened = eventSchema('switchboard.erp.CustomerAccountOpened');
  const topics = {
    passIn: `${prefix}bench.passthrough.in`,
    passOut: `${prefix}bench.passthrough.out`,
    customers: customerCreated.topicName(prefix),
    accounts: accountOpened.topicName(prefix),
    orders: eventSchema('switchboard.crm.OrderPlaced').topicName(prefix),
    ceiling: `${prefix}bench.ceiling`,
  };
  await admin.create(Object.values(topics).map((name) => ({ name, partitions: 6, replicationFactor: bus.replicationFactor, configs: {} })));

  const customer = (i: number) => ({ ...EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'], customerId: `K-${i % KEYS}`, name: `Customer ${i}` });
  const bytes = await fill(codec, producer, 'switchboard.crm.CustomerCreated', topics.customers, customer);
  await fill(codec, producer, 'switchboard.crm.OrderPlaced', topics.orders, (i) => orderPlaced(`O-${i}`, 1, `K-${i % KEYS}`));
  await fill(codec, producer, 'switchboard.crm.CustomerCreated', topics.passIn, customer, PASSTHROUGH_EVENTS);
  // The encode step reads the output subject's latest schema: register it, as our producers do on first use.
  await codec.prepare(accountOpened.subject(prefix));

  const example = EXAMPLE_EVENTS['switchboard.erp.CustomerAccountOpened'];
  const common = { binary: build.binary, dir: runDir, records: EVENTS };
  const brokers = bus.brokers;
  const passthrough = await runPeer({
    ...common,
    records: PASSTHROUGH_EVENTS,
    name: 'passthrough',
    config: passthroughConfig({ brokers, inputTopic: topics.passIn, outputTopic: topics.passOut, group: `${prefix}peer.passthrough` }),
    observe: () => endOffsets(admin, topics.passOut),
  });
  const avro = await runPeer({
    ...common,
    name: 'avro-topic-to-topic',
    config: avroConfig({
      brokers,
      inputTopic: topics.customers,
      outputTopic: topics.accounts,
      group: `${prefix}peer.avro`,
      registryUrl,
      subject: accountOpened.subject(prefix),
      account: {
        creditLimitBytes: decimalBytes(example.creditLimit.amount, 2),
        currency: example.creditLimit.currency,
        creditStatus: example.creditStatus,
        openedAtMs: example.openedAt,
        ceSource: accountOpened.topic.system,
        ceType: accountOpened.ceType,
      },
    }),
    observe: () => endOffsets(admin, topics.accounts),
  });
  const http = await runPeer({
    ...common,
    name: 'topic-to-http',
    config: httpConfig({ brokers, inputTopic: topics.orders, group: `${prefix}peer.http`, registryUrl, targetUrl: target.url, connectorName: HTTP_CONNECTOR }),
    observe: () => target.tally.requests,
  });
  const { tally } = target;
  if (tally.bad.length > 0) throw new Error(`the HTTP target got requests unlike our connector's:\n${tally.bad.join('\n')}`);
  const httpRate = rateOver(tally.lastAt - tally.firstAt);

  const passVerified = await verify(codec, topics.passOut, customerCreated.fullName, (r) => (r.headers.ce_type === customerCreated.ceType ? undefined : 'lost its ce_type header'), PASSTHROUGH_EVENTS);
  const avroVerified = await verify(codec, topics.accounts, accountOpened.fullName, (r, v) => {
    const id = r.key;
    if (v.crmCustomerId !== id || v.accountNumber !== `A-${id}` || (v.creditLimit as { amount?: unknown }).amount !== example.creditLimit.amount) return 'is not the mapped account';
    if (r.headers.ce_type !== accountOpened.ceType || !r.headers.causation_id || r.headers.correlation_id !== id) return 'lacks the event headers';
    return undefined;
  });

  const ceilingProduce = await producerCeiling(toolsClasspath, brokers.join(','), topics.ceiling, CEILING_RECORDS, RECORD_SIZE);
  const ceilingConsume = await consumerCeiling(toolsClasspath, brokers.join(','), topics.ceiling, CEILING_RECORDS, `${prefix}ceiling`);

  const runs: [string, PeerRun, number, string][] = [
    ['passthrough', passthrough, passVerified.rate, `${PASSTHROUGH_EVENTS} CustomerCreated (${bytes} B Avro), bytes, key and event headers as they are; ${passVerified.reordered} records behind a later one of their key`],
    ['Avro topic→topic', avro, avroVerified.rate, `decode via our registry → Bloblang mapping → encode → produce, as our topic→topic connector; ${avroVerified.reordered} records behind a later one of their key`],
    ['topic→HTTP', http, httpRate, `decode → POST /orders/<id>/placements to a local target answering 200 at once; one batch per partition in flight; ${tally.reordered} requests behind a later one of their key`],
  ];
  const figures: Figure[] = [];
  for (const [name, run, rate, note] of runs) {
    figures.push({ name: `Redpanda Connect ${name}`, value: Math.round(rate), unit: 'events/s', note });
    figures.push({ name: `Redpanda Connect ${name} peak RSS`, value: run.peakRssMb, unit: 'MB', note: 'VmHWM of the pipeline process' });
  }
  figures.push(
    { name: 'broker ceiling: ProducerPerformance', value: Math.round(ceilingProduce.recordsPerSecond), unit: 'records/s', note: `Kafka ${KAFKA_VERSION} tools, ${CEILING_RECORDS} records of ${RECORD_SIZE} B, 6 partitions, acks=all, no throttle; ${ceilingProduce.mbPerSecond} MB/s, latency avg ${ceilingProduce.avgLatencyMs} ms, p99 ${ceilingProduce.p99LatencyMs} ms` },
    { name: 'broker ceiling: ConsumerPerformance', value: Math.round(ceilingConsume.recordsPerSecond), unit: 'records/s', note: `same records, new group, from the start; ${ceilingConsume.mbPerSecond} MB/s; group join ${ceilingConsume.rebalanceMs} ms included` },
    { name: 'broker ceiling: ConsumerPerformance while fetching', value: Math.round(ceilingConsume.fetchRecordsPerSecond), unit: 'records/s', note: 'the same run without the group join' },
    { name: 'Redpanda Connect binary', value: build.sizeMb, unit: 'MB', note: `connect ${build.connectVersion}, benthos ${build.benthosVersion}, components kafka, confluent, io, pure; ${build.buildSeconds > 0 ? `built in ${build.buildSeconds} s this run` : 'cached build'}` },
  );
  const thisRun = process.env.BENCH_RUN_REPORTS ? (JSON.parse(process.env.BENCH_RUN_REPORTS) as ResultsFile) : undefined;
  const ours = connectorRates(thisRun);
  if (ours) figures.push(...ratioFigures(ours, { topicToTopic: avroVerified.rate, topicToHttp: httpRate, passthrough: passVerified.rate }));
  report({ bench: 'peers', figures, peakRssMb: round(Math.max(passthrough.peakRssMb, avro.peakRssMb, http.peakRssMb)) });
} finally {
  await producer.close();
  await registry.stop();
  try {
    const mine = (await admin.list()).filter((name) => name.startsWith(prefix));
    await admin.delete(mine);
    const groups = (await groupAdmin.listGroups()).groups.map((g) => g.groupId).filter((id) => id.startsWith(prefix));
    if (groups.length > 0) await groupAdmin.deleteGroups(groups);
  } catch {
    // Leftover topics and groups are harmless; they are prefixed.
  }
  await admin.close();
  await groupAdmin.disconnect();
  target.server.closeAllConnections();
  target.server.close();
}
