/**
 * Connector throughput: how fast the connector runtime drains a source topic that is
 * pre-filled with N Avro events, topic→topic (each event produces one event) and topic→HTTP
 * (each event is one POST to a local target that answers 200 at once), against a bare
 * kafkajs consume→produce passthrough of the same records on the same broker. The runtime
 * does per event what the passthrough does not: decode, map, idempotency key in Redis,
 * encode, per-key ordering and commit-after-effect; the ratio is what that costs.
 *
 * The topic→HTTP connector also runs as its declarative twin (support/topic-to-http.connector.yaml,
 * YAML and JSONata through hub/declarative) over the same records: the ratio declarative ÷
 * TypeScript is what interpreting the mapping costs. Each runs twice, in the order TypeScript,
 * declarative, declarative, TypeScript (each run under its own name: its own consumer group), so
 * that warm-up and drift weigh on both alike; the rates are the means of the two runs.
 *
 * Rates are measured from the first record consumed to the last effect acknowledged (so the
 * consumer group's join time is not counted), then the bench checks that the committed
 * offsets reached the end. The peak RSS reported is that of this process while the connector
 * runs in it (ConnectorWorker with the runtime's shared services), before the baseline runs.
 *
 * BENCH_TELEMETRY=on runs the same with tracing exporting (OTEL_EXPORTER_OTLP_ENDPOINT must
 * name a receiver) and `/metrics` served and scraped every 2 s, as a traced worker in production
 * would; bench/telemetry-overhead.bench.ts runs it both ways and divides.
 */
import { randomUUID } from 'node:crypto';
import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import type { BusProducer, OutgoingRecord } from '../hub/bus/index.js';
import { defineConnector, http, produce, type ConnectorDefinition } from '../hub/sdk/index.js';
import type { ConnectorWorker } from '../hub/runtime/connector-worker.js';
import { loadDeclarativeConnector } from '../hub/declarative/index.js';
import { EXAMPLE_EVENTS } from '../schemas/examples.js';
import type { EventFullName } from '../catalogue/index.js';
import { eventSchema } from '../schemas/schema-catalog.js';
import { startKitStack, type KitStack } from '../tests/kit/kit-stack.js';
import { orderPlaced } from '../tests/kit/test-connectors.js';
import { PeakRss, report, round, type Figure } from './support/measure.js';
import { startFastTarget } from './support/fast-target.js';
import { profiled } from './support/cpu-profile.js';
import { createLogger } from '../hub/log/logger.js';
import { startMetricsServer, startTracing, stopTracing } from '../hub/telemetry/index.js';

const { Partitioners } = kafkajs;
/** Events per connector run: enough for several seconds at the runtime's rate, so the figure is not clock granularity. */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 40_000);
/** Events of the bare passthrough, which is several times faster: 200 000 keep it running for seconds too. */
const PASSTHROUGH_EVENTS = Number(process.env.BENCH_PASSTHROUGH_EVENTS ?? 200_000);
const KEYS = 2000;
const CHUNK = 1000;
/** Which runs to make (all by default); e.g. BENCH_CONNECTOR_RUNS=topic to profile one of them. */
const RUNS = new Set((process.env.BENCH_CONNECTOR_RUNS ?? 'topic,http,declarative,passthrough').split(','));

/** CustomerCreated → one CustomerAccountOpened (no cross-reference write: one effect per event). */
const topicConnector = defineConnector({
  name: 'bench-topic-to-topic',
  description: 'bench: each created customer produces one account event',
  source: { topics: ['crm.customer.v1'], eventTypes: ['switchboard.crm.CustomerCreated'] },
  target: { kind: 'topic' },
  ...(process.env.BENCH_TOPIC_CONCURRENCY ? { options: { concurrency: Number(process.env.BENCH_TOPIC_CONCURRENCY) } } : {}),
  map: (event) => [
    produce({
      eventType: 'switchboard.erp.CustomerAccountOpened',
      key: event.value.customerId,
      value: { ...EXAMPLE_EVENTS['switchboard.erp.CustomerAccountOpened'], crmCustomerId: event.value.customerId, accountNumber: `A-${event.value.customerId}`, name: event.value.name },
    }),
  ],
});

/** OrderPlaced → one POST to the target. */
const httpConnector = (name: string) => defineConnector({
  name,
  description: 'bench: each placed order is one call to an HTTP target',
  source: { topics: ['crm.order.v1'], eventTypes: ['switchboard.crm.OrderPlaced'] },
  target: { system: 'erp' },
  map: (event) => [http({ method: 'POST', path: `/orders/${event.value.orderId}/placements`, body: { orderId: event.value.orderId } })],
});

/** The same connector declared in YAML with JSONata (a name of its own: its own consumer group over the same records). */
const declarativeHttpConnector = loadDeclarativeConnector(new URL('./support/topic-to-http.connector.yaml', import.meta.url));

/**
 * Pre-fills `topic` with N encoded events of `eventType`, each with a unique CloudEvents id
 * (so none is "already applied"), a chunk at a time so the bench's own data does not inflate
 * the peak RSS measured afterwards. Returns the mean encoded size.
 */
async function fill(stack: KitStack, producer: BusProducer, eventType: EventFullName, topic: string, valueOf: (i: number) => unknown, count = EVENTS): Promise<number> {
  const subject = eventSchema(eventType).subject(stack.prefix);
  let bytes = 0;
  for (let i = 0; i < count; i += CHUNK) {
    const records: OutgoingRecord[] = [];
    for (let j = i; j < Math.min(count, i + CHUNK); j++) {
      const key = `K-${j % KEYS}`;
      const value = await stack.codec.encode(subject, valueOf(j) as never);
      bytes += value.length;
      records.push({ topic, key, value, headers: stack.headersFor(eventType, { id: randomUUID(), correlationId: key }) });
    }
    await producer.sendAll(records);
  }
  return Math.round(bytes / count);
}

/** A run's rate and the CPU this process spent per event meanwhile (user + system, µs). */
interface Run {
  readonly rate: number;
  readonly cpuUsPerEvent: number;
}

/** CPU time of this process (user + system, µs) since `since`. */
function cpuSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

function waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const timer = setInterval(() => {
      if (done()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() > deadline) {
        clearInterval(timer);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 5);
  });
}

/** Resolves once the group's committed offsets reached the end of `topic`. */
async function waitCommitted(admin: Admin, groupId: string, topic: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ends = await admin.fetchTopicOffsets(topic);
    const committed = (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions ?? [];
    const behind = ends.filter((end) => (committed.find((c) => c.partition === end.partition)?.offset ?? '-1') !== end.high && end.high !== '0');
    if (behind.length === 0) return;
    if (Date.now() > deadline) throw new Error(`group ${groupId} did not commit to the end of ${topic}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Drains the pre-filled source with one worker; events/s from the first consumed to the last delivered. */
async function viaConnector(stack: KitStack, admin: Admin, definition: ConnectorDefinition, check?: () => Promise<number>): Promise<Run> {
  const started = performance.now();
  let first = 0;
  const worker: ConnectorWorker = await stack.startWorker(definition);
  const cpu = process.cpuUsage();
  await profiled(definition.name, () => waitFor(() => {
    if (first === 0 && worker.stats.consumed > 0) first = performance.now();
    return worker.stats.delivered >= EVENTS;
  }, 600_000, `${definition.name} to deliver ${EVENTS} events`));
  const seconds = (performance.now() - (first || started)) / 1000;
  const cpuUsPerEvent = cpuSince(cpu) / EVENTS;
  if (worker.stats.deadLettered > 0 || worker.stats.parked > 0) throw new Error(`${definition.name}: ${worker.stats.deadLettered} dead-lettered, ${worker.stats.parked} parked`);
  const effects = check ? await check() : EVENTS;
  if (effects < EVENTS) throw new Error(`${definition.name}: the target saw ${effects} of ${EVENTS} effects`);
  await waitCommitted(admin, worker.groups.main, worker.topics.sources[0]);
  await worker.stop();
  return { rate: EVENTS / seconds, cpuUsPerEvent };
}

/** Bare kafkajs: eachBatch, one produce request per batch (same bytes and headers), commit after the ack. */
async function viaPassthrough(kafka: Kafka, admin: Admin, input: string, output: string): Promise<Run> {
  const groupId = `${input}.passthrough`;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topics: [input], fromBeginning: true });
  let produced = 0;
  let first = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch, resolveOffset }) => {
      if (first === 0) first = performance.now();
      const messages = batch.messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers }));
      if (messages.length === 0) return;
      await producer.send({ topic: output, messages, acks: -1 });
      produced += messages.length;
      const last = batch.messages[batch.messages.length - 1].offset;
      resolveOffset(last);
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
    },
  });
  await profiled('passthrough', () => waitFor(() => produced >= PASSTHROUGH_EVENTS, 600_000, 'the passthrough'));
  const seconds = (performance.now() - (first || started)) / 1000;
  const cpuUsPerEvent = cpuSince(cpu) / PASSTHROUGH_EVENTS;
  await waitCommitted(admin, groupId, input);
  await consumer.disconnect();
  await producer.disconnect();
  return { rate: PASSTHROUGH_EVENTS / seconds, cpuUsPerEvent };
}

// BENCH_TELEMETRY=metrics: `/metrics` served and scraped, no tracing (to tell the two costs apart).
const TELEMETRY = process.env.BENCH_TELEMETRY === 'on' || process.env.BENCH_TELEMETRY === 'metrics';
if (process.env.BENCH_TELEMETRY === 'on' && !startTracing('worker', createLogger('bench', { level: 'warn' }))) throw new Error('BENCH_TELEMETRY=on needs OTEL_EXPORTER_OTLP_ENDPOINT');
const metricsServer = TELEMETRY ? await startMetricsServer({ host: '127.0.0.1', port: 0, name: 'bench' }) : undefined;
// Prometheus' local scrape interval: the exposition's cost is part of "metrics on".
const scraper = metricsServer ? setInterval(() => void fetch(`${metricsServer.url}/metrics`).then((answer) => answer.text()), 2000) : undefined;

const target = await startFastTarget();
const stack = await startKitStack({ label: 'benchconn', systemUrls: { erp: target.url } });
// A bare kafkajs client for the baseline passthrough and for reading offsets: the baseline is kafkajs itself.
const bare = new kafkajs.Kafka({ clientId: 'bench-bare', brokers: [...stack.busConfig.brokers], logLevel: kafkajs.logLevel.NOTHING });
const admin = bare.admin();
await admin.connect();
const producer = stack.bus.producer();
try {
  const customers = eventSchema('switchboard.crm.CustomerCreated').topicName(stack.prefix);
  const orders = eventSchema('switchboard.crm.OrderPlaced').topicName(stack.prefix);
  const passIn = `${stack.prefix}bench.passthrough.in`;
  const passOut = `${stack.prefix}bench.passthrough.out`;
  await admin.createTopics({ topics: [passIn, passOut].map((topic) => ({ topic, numPartitions: 6, replicationFactor: stack.busConfig.replicationFactor })) });

  const customer = (i: number) => ({ ...EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'], customerId: `K-${i % KEYS}`, name: `Customer ${i}` });
  const bytes = await fill(stack, producer, 'switchboard.crm.CustomerCreated', customers, customer);
  await fill(stack, producer, 'switchboard.crm.OrderPlaced', orders, (i) => orderPlaced(`O-${i}`, 1, `K-${i % KEYS}`));
  await fill(stack, producer, 'switchboard.crm.CustomerCreated', passIn, customer, PASSTHROUGH_EVENTS);

  const rssBefore = Math.round(process.memoryUsage.rss() / 2 ** 20);
  const rss = new PeakRss();
  let heapPeak = 0;
  // process.memoryUsage() walks the heap's spaces: sampled less often than RSS.
  const heapTimer = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 100);
  const none: Run = { rate: NaN, cpuUsPerEvent: NaN };
  const topic = RUNS.has('topic') ? await viaConnector(stack, admin, topicConnector) : none;
  /** One run of a topic→HTTP connector: its rate, CPU per event and the peak RSS while it ran. */
  const viaHttp = async (definition: ConnectorDefinition) => {
    const before = await target.requests();
    const runRss = new PeakRss();
    const run = await viaConnector(stack, admin, definition, async () => (await target.requests()) - before);
    return { ...run, rssMb: runRss.stopMb() };
  };
  const typescriptRuns = RUNS.has('http') ? [await viaHttp(httpConnector('bench-topic-to-http'))] : [];
  const declarativeRuns = RUNS.has('declarative') ? [await viaHttp(declarativeHttpConnector), await viaHttp({ ...declarativeHttpConnector, name: `${declarativeHttpConnector.name}-again` })] : [];
  if (RUNS.has('http')) typescriptRuns.push(await viaHttp(httpConnector('bench-topic-to-http-again')));
  const connectorRssMb = rss.stopMb();
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const peak = (runs: { rssMb: number }[]) => Math.max(...runs.map((run) => run.rssMb));
  const httpRates = typescriptRuns.map((run) => run.rate);
  const declarativeRates = declarativeRuns.map((run) => run.rate);
  const httpRate = mean(httpRates);
  const declarativeRate = mean(declarativeRates);
  clearInterval(heapTimer);
  const bareRss = new PeakRss();
  const passthrough = RUNS.has('passthrough') ? await viaPassthrough(bare, admin, passIn, passOut) : none;
  const us = (value: number) => round(value, 3);
  const figures: Figure[] = [
    { name: 'connector topic→topic', value: Math.round(topic.rate), unit: 'events/s', note: `${EVENTS} CustomerCreated (${bytes} B Avro) → CustomerAccountOpened, ${KEYS} keys, 6 partitions, one worker, default options` },
    { name: 'connector topic→HTTP', value: Math.round(httpRate), unit: 'events/s', note: `${EVENTS} OrderPlaced → POST to a local target answering 200 at once (its own process); mean of two runs (${httpRates.map(Math.round).join(', ')})` },
    { name: 'connector topic→HTTP, declarative (YAML + JSONata)', value: Math.round(declarativeRate), unit: 'events/s', note: `the same records and target, mapping in support/topic-to-http.connector.yaml; mean of two runs (${declarativeRates.map(Math.round).join(', ')})` },
    { name: 'ratio topic→HTTP declarative ÷ TypeScript', value: round(declarativeRate / httpRate), unit: '×', note: 'goal ≥ 0.8' },
    { name: 'peak RSS while the TypeScript topic→HTTP connector ran', value: peak(typescriptRuns), unit: 'MB', note: 'the higher of its two runs' },
    { name: 'peak RSS while the declarative topic→HTTP connector ran', value: peak(declarativeRuns), unit: 'MB', note: 'the higher of its two runs' },
    { name: 'bare kafkajs consume→produce passthrough', value: Math.round(passthrough.rate), unit: 'events/s', note: `${PASSTHROUGH_EVENTS} of the same records, eachBatch, one produce per batch, commit after ack` },
    { name: 'ratio topic→topic ÷ passthrough', value: round(topic.rate / passthrough.rate), unit: '×', note: 'goal ≥ 0.6' },
    { name: 'ratio topic→HTTP ÷ passthrough', value: round(httpRate / passthrough.rate), unit: '×', note: 'goal ≥ 0.5' },
    {
      name: 'CPU per event, connector topic→topic', value: us(topic.cpuUsPerEvent), unit: 'µs',
      note: 'user + system CPU of this process during the run ÷ events: what the runtime costs, whatever else the machine runs',
    },
    { name: 'CPU per event, connector topic→HTTP', value: us(mean(typescriptRuns.map((run) => run.cpuUsPerEvent))), unit: 'µs', note: 'mean of the two runs; the target answers in a process of its own' },
    { name: 'CPU per event, declarative topic→HTTP', value: us(mean(declarativeRuns.map((run) => run.cpuUsPerEvent))), unit: 'µs', note: 'mean of the two runs' },
    { name: 'CPU per event, bare kafkajs passthrough', value: us(passthrough.cpuUsPerEvent), unit: 'µs' },
    { name: 'peak RSS of the process running the connectors', value: connectorRssMb, unit: 'MB', note: `runtime services + one worker at a time, in this process; ${rssBefore} MB before the first worker started` },
    { name: 'peak V8 heap used while the connectors ran', value: Math.round(heapPeak / 2 ** 20), unit: 'MB', note: 'RSS above this is heap not yet returned, buffers and code' },
    { name: 'peak RSS incl. the passthrough run', value: bareRss.stopMb(), unit: 'MB' },
  ];
  report({ bench: TELEMETRY ? 'connector-throughput-telemetry' : 'connector-throughput', figures, peakRssMb: connectorRssMb });
} finally {
  clearInterval(scraper);
  await metricsServer?.close();
  await stopTracing();
  await producer.close();
  await admin.disconnect();
  await stack.close();
  await target.stop();
}
