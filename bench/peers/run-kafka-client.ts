/**
 * One client's round of bench/kafka-clients.bench.ts, in a process of its own (so its CPU time
 * and peak RSS are its own, native threads included):
 *
 *   node --import tsx bench/peers/run-kafka-client.ts <kafkajs|platformatic|confluent> <topic prefix> <records>
 *
 * The topics `<prefix>.warm`, `<prefix>.in` and `<prefix>.out` (6 partitions) exist already.
 * After a warm-up (JIT, connections), three phases, each timed and its process CPU (user +
 * system, all threads) counted:
 *  - produce: <records> records to `.in`, 1000 per call, each call awaited;
 *  - consume: a new group reads `.in` from the start;
 *  - passthrough: another new group reads `.in` and forwards each batch to `.out`, awaiting it.
 * Consume and passthrough rates are timed from the first batch to the last record, so the group
 * join is not counted; their CPU is counted from the consumer's start, so what a client fetches
 * and decodes ahead while the group forms is not left out (a short run, 20 000 records, is
 * mostly such read-ahead: use 100 000 or more). Prints `CLIENT_ROUND <json>` (a ClientRound) as its last line.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBusConfig, toEventHeaders } from '../../hub/bus/index.js';
import { PeakRss } from '../support/measure.js';
import { confluentDriver } from './kafka-client-drivers/confluent-driver.js';
import type { BenchRecord, ClientDriver } from './kafka-client-drivers/driver.js';
import { kafkajsDriver } from './kafka-client-drivers/kafkajs-driver.js';
import { platformaticDriver } from './kafka-client-drivers/platformatic-driver.js';
import { CANDIDATE_CLIENTS, kafkaClientDir, packageDir } from './kafka-clients.js';

/** One phase's rate and CPU cost. */
export interface PhaseResult {
  readonly recordsPerSecond: number;
  /** Process CPU microseconds (user + system, all threads) per record. */
  readonly cpuMicrosPerRecord: number;
}

/** What one round reports. */
export interface ClientRound {
  readonly client: string;
  readonly label: string;
  readonly produce: PhaseResult;
  readonly consume: PhaseResult;
  readonly passthrough: PhaseResult;
  readonly peakRssMb: number;
}

const CHUNK = 1000;
const WARM_RECORDS = 20_000;

// ~300 bytes of value and the full CloudEvents header set, 512 keys: bench/bus-throughput.bench.ts's records.
const value = Buffer.alloc(300, 7);
const headers = toEventHeaders({ id: randomUUID(), source: 'crm', type: 'crm.order.OrderPlaced', time: new Date().toISOString(), correlationId: 'O-1' });
const keys = Array.from({ length: 512 }, (_, i) => `order-${i}`);

/** The version in the package.json of the package folder `dir`. */
function installedVersion(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

async function driverFor(name: string, brokers: readonly string[]): Promise<ClientDriver<unknown>> {
  if (name === 'kafkajs') return kafkajsDriver(brokers, installedVersion(join(import.meta.dirname, '..', '..', 'node_modules', 'kafkajs'))) as ClientDriver<unknown>;
  const client = CANDIDATE_CLIENTS.find((c) => c.name === name);
  if (!client) throw new Error(`unknown client ${name}; one of kafkajs, ${CANDIDATE_CLIENTS.map((c) => c.name).join(', ')}`);
  const dir = kafkaClientDir(client.name);
  const version = installedVersion(packageDir(dir, client));
  if (client.name === 'platformatic') return (await platformaticDriver(dir, brokers, version)) as ClientDriver<unknown>;
  return confluentDriver(dir, brokers, version) as ClientDriver<unknown>;
}

function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function phase(records: number, seconds: number, cpu: number): PhaseResult {
  return { recordsPerSecond: Math.round(records / seconds), cpuMicrosPerRecord: Math.round((cpu / records) * 1e6 * 10) / 10 };
}

async function produce(driver: ClientDriver<unknown>, topic: string, records: number): Promise<PhaseResult> {
  const started = performance.now();
  const cpu = cpuSeconds();
  for (let i = 0; i < records; i += CHUNK) {
    const chunk: BenchRecord[] = [];
    for (let j = i; j < Math.min(records, i + CHUNK); j++) chunk.push({ key: keys[j % keys.length], value, headers });
    await driver.produce(topic, chunk);
  }
  return phase(records, (performance.now() - started) / 1000, cpuSeconds() - cpu);
}

/** Consumes `records` from `topic` as a new group, `handle`-ing each batch; timed from the first batch. */
async function consumeAll(driver: ClientDriver<unknown>, topic: string, records: number, handle: (batch: unknown[]) => Promise<void>): Promise<PhaseResult> {
  let seen = 0;
  // CPU from the start: what a client fetches and decodes ahead while the group forms is work per record too.
  const cpuAtStart = cpuSeconds();
  let first: { at: number; records: number } | undefined;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const consumer = await driver.consume(topic, `${topic}-${randomUUID().slice(0, 8)}`, async (batch) => {
    first ??= { at: performance.now(), records: batch.length };
    await handle(batch);
    seen += batch.length;
    if (seen >= records) finished();
  });
  await done;
  const seconds = (performance.now() - first!.at) / 1000;
  const cpu = cpuSeconds() - cpuAtStart;
  await consumer.stop();
  // The rate leaves out the first batch (it arrived at the start of the timed span); the CPU counts every record.
  const rate = phase(records - first!.records, seconds, cpu);
  return { recordsPerSecond: rate.recordsPerSecond, cpuMicrosPerRecord: phase(records, seconds, cpu).cpuMicrosPerRecord };
}

const [name, prefix, recordsArg] = process.argv.slice(2);
const records = Number(recordsArg);
if (!name || !prefix || !(records > 0)) throw new Error('usage: run-kafka-client.ts <client> <topic prefix> <records>');
const rss = new PeakRss();
const driver = await driverFor(name, loadBusConfig().brokers);
await driver.connect();
try {
  await produce(driver, `${prefix}.warm`, WARM_RECORDS);
  await consumeAll(driver, `${prefix}.warm`, WARM_RECORDS, async () => {});
  const produced = await produce(driver, `${prefix}.in`, records);
  const consumed = await consumeAll(driver, `${prefix}.in`, records, async () => {});
  const passthrough = await consumeAll(driver, `${prefix}.in`, records, (batch) => driver.forward(`${prefix}.out`, batch));
  const round: ClientRound = { client: name, label: driver.label, produce: produced, consume: consumed, passthrough, peakRssMb: rss.stopMb() };
  process.stdout.write(`CLIENT_ROUND ${JSON.stringify(round)}\n`);
} finally {
  await driver.close();
}
// A client's background timers (metadata refresh, librdkafka's threads) must not keep the round alive.
process.exit(0);
