/**
 * Scale-out: one, two and three worker processes (`switchboard worker --connector
 * erp-product-to-crm`, the compiled build) sharing one connector's partitions, on the local
 * one-broker stack and on a three-broker cluster of its own (`stackUp({ brokers: 3 })` in a
 * temporary folder and ports, replication factor 3, min.insync.replicas 2). The connector
 * puts each ProductCreated into the CRM's catalogue: here a target answering 200 at once in a
 * process of its own (support/fast-target.ts).
 *
 * Per configuration, once every worker has joined the group (it is Stable with N members):
 *  - drain: BENCH_SCALE_EVENTS (default 20 000) events produced at once; events/s from the first
 *    call the target sees to the last;
 *  - latency: BENCH_SCALE_RATE events/s (default 500) for BENCH_SCALE_SECONDS (default 10),
 *    each stamped with its send time (the product name); p50 and p99 from that to the target;
 *  - the CPU each worker used during the drain, in % of one core (/proc/<pid>/stat).
 *
 * What limits it on two cores is in bench/COMPARISONS.md. BENCH_SCALE_BROKERS=1 skips the cluster.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Bus, loadBusConfig, toEventHeaders, type BusConfig, type OutgoingRecord } from '../hub/bus/index.js';
import { createLogger } from '../hub/log/logger.js';
import { createRegistryServer } from '../hub/schema/registry/index.js';
import { SchemaRegistryClient } from '../hub/schema/client/registry-client.js';
import { AvroCodec } from '../hub/schema/codec/avro-codec.js';
import { spawnArgsOf } from '../hub/supervisor/process-tuning.js';
import { connectorGroups } from '../hub/runtime/connector-topics.js';
import { EXAMPLE_EVENTS } from '../schemas/examples.js';
import { eventSchema } from '../schemas/schema-catalog.js';
import { stackDown, stackUp } from '../stack/index.js';
import { freePort, freePortPair } from '../tests/kit/ports.js';
import { uniquePrefix } from '../tests/kit/isolation.js';
import { processRssMb, report, round, type Figure } from './support/measure.js';
import { startFastTarget, type FastTarget } from './support/fast-target.js';
import { cpuSecondsOf, ensureBuild, stopProcess } from './support/processes.js';

const root = path.resolve(import.meta.dirname, '..');
const EVENTS = Number(process.env.BENCH_SCALE_EVENTS ?? 20_000);
const RATE = Number(process.env.BENCH_SCALE_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 10);
const BROKERS = (process.env.BENCH_SCALE_BROKERS ?? '1,3').split(',').map(Number);
const WORKERS = [1, 2, 3];
const CONNECTOR = 'erp-product-to-crm';
const logger = createLogger('bench', { level: 'warn' });
const say = (line: string) => process.stderr.write(`scale-out: ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts one worker process of the connector; resolves once it prints `worker running`. */
async function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const metricsPort = await freePort();
  const child = spawn(process.execPath, spawnArgsOf('bin/switchboard.js', ['worker', '--connector', CONNECTOR, '--metrics-port', String(metricsPort)]), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not running after 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
      if (/worker running/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited ${code}:\n${output}`)));
  });
  return child;
}

/** ProductCreated events keyed by SKU, the name carrying `t<send time>` when `stamped`. */
function products(codec: AvroCodec, subject: string, topic: string, from: number, count: number, stamped: boolean): OutgoingRecord[] {
  const schema = eventSchema('switchboard.erp.ProductCreated');
  const records: OutgoingRecord[] = [];
  for (let i = from; i < from + count; i++) {
    const sku = `SKU-${i % 2000}`;
    const value = codec.encodeSync(subject, { ...EXAMPLE_EVENTS['switchboard.erp.ProductCreated'], sku, name: stamped ? `t${Date.now()}` : `Product ${i}` }) as Buffer;
    records.push({ topic, key: sku, value, headers: toEventHeaders({ id: randomUUID(), source: schema.topic.system, type: schema.ceType, time: new Date().toISOString(), correlationId: sku }) });
  }
  return records;
}

interface Measured {
  readonly drainRate: number;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly cpu: number[];
  /** Peak RSS of each worker over the configuration (drain and paced run), MB. */
  readonly peakRssMb: number[];
}

/** One configuration: `workers` processes against the cluster `bus`. */
async function measure(bus: BusConfig, workers: number, target: FastTarget): Promise<Measured> {
  const prefix = uniquePrefix('scale');
  const switchboard = new Bus(bus, logger, 'bench-scale');
  const admin = switchboard.admin();
  await admin.connect();
  const schema = eventSchema('switchboard.erp.ProductCreated');
  const topic = schema.topicName(prefix);
  await admin.create([{ name: topic, partitions: 6, replicationFactor: bus.replicationFactor, configs: { 'min.insync.replicas': String(bus.minInsyncReplicas) } }]);
  const registry = createRegistryServer({ port: 0, host: '127.0.0.1', topic: `${prefix}_schemas`, bus, logger });
  const registryUrl = await registry.start();
  const codec = new AvroCodec({ registry: new SchemaRegistryClient({ url: registryUrl, timeoutMs: 5000 }) });
  const subject = schema.subject(prefix);
  await codec.prepare(subject);
  const producer = switchboard.producer();
  const env: NodeJS.ProcessEnv = {
    ...process.env, SWITCHBOARD_FROM_SOURCE: '0', SWITCHBOARD_TOPIC_PREFIX: prefix, SCHEMA_REGISTRY_URL: registryUrl, CRM_URL: target.url, LOG_LEVEL: 'warn',
    KAFKA_BROKERS: bus.brokers.join(','), KAFKA_REPLICATION_FACTOR: String(bus.replicationFactor), KAFKA_MIN_INSYNC_REPLICAS: String(bus.minInsyncReplicas),
  };
  const children: ChildProcess[] = [];
  const peaks: number[] = [];
  const rssSampler = setInterval(() => children.forEach((child, i) => (peaks[i] = Math.max(peaks[i] ?? 0, processRssMb(child.pid as number) ?? 0))), 500);
  try {
    children.push(...(await Promise.all(Array.from({ length: workers }, () => startWorker(env)))));
    const group = connectorGroups(CONNECTOR, prefix).main;
    for (const deadline = Date.now() + 120_000; ; ) {
      const { state, members } = await admin.describeGroup(group);
      if (state === 'Stable' && members === workers) break;
      if (Date.now() > deadline) throw new Error(`group ${group} not Stable with ${workers} members (${state}, ${members})`);
      await sleep(250);
    }

    // Drain: everything at once, rate from the first call to the last.
    const before = await target.requests();
    const cpuBefore = children.map((child) => cpuSecondsOf(child.pid as number));
    for (let i = 0; i < EVENTS; i += 1000) await producer.sendAll(products(codec, subject, topic, i, Math.min(1000, EVENTS - i), false));
    let first = 0;
    for (const deadline = Date.now() + 600_000; ; ) {
      const seen = (await target.requests()) - before;
      if (first === 0 && seen > 0) first = performance.now();
      if (seen >= EVENTS) break;
      if (Date.now() > deadline) throw new Error(`${seen} of ${EVENTS} calls after 600 s`);
      await sleep(20);
    }
    const drainSeconds = (performance.now() - first) / 1000;
    const cpu = children.map((child, i) => round(((cpuSecondsOf(child.pid as number) - cpuBefore[i]) / drainSeconds) * 100, 3));
    await target.latency();

    // Latency at a fixed rate: RATE events a second, in ticks of 10 ms.
    const total = RATE * SECONDS;
    const started = performance.now();
    for (let sent = 0; sent < total; ) {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE));
      if (due > sent) {
        await producer.sendAll(products(codec, subject, topic, EVENTS + sent, due - sent, true));
        sent = due;
      }
      await sleep(10);
    }
    const countBefore = before + EVENTS;
    for (const deadline = Date.now() + 120_000; (await target.requests()) - countBefore < total; ) {
      if (Date.now() > deadline) throw new Error('the paced events did not all arrive');
      await sleep(50);
    }
    const { p50, p99 } = await target.latency();
    return { drainRate: EVENTS / drainSeconds, p50, p99, cpu, peakRssMb: peaks.map((mb) => round(mb, 3)) };
  } finally {
    clearInterval(rssSampler);
    await Promise.all(children.map((child) => stopProcess(child)));
    await producer.close();
    await registry.stop();
    await admin.delete((await admin.list()).filter((name) => name.startsWith(prefix))).catch(() => undefined);
    await admin.close();
  }
}

ensureBuild(root, say);
const target = await startFastTarget();
const figures: Figure[] = [];
/** The highest worker RSS of any configuration: the bench's peak RSS is its workers'. */
let peakOfAll = 0;
try {
  for (const brokers of BROKERS) {
    let bus = loadBusConfig();
    let dir: string | undefined;
    const stackEnv: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' };
    for (const name of ['KAFKA_BROKERS', 'SWITCHBOARD_KAFKA_PORT', 'SWITCHBOARD_REDIS_PORT', 'SWITCHBOARD_BROKERS', 'SWITCHBOARD_STACK_DIR']) delete stackEnv[name];
    if (brokers > 1) {
      dir = mkdtempSync(path.join(tmpdir(), 'switchboard-scale-'));
      const kafkaPort = await freePortPair(27092);
      say(`starting a ${brokers}-broker cluster in ${dir} ...`);
      const up = await stackUp({ dir, env: stackEnv, kafkaPort, brokers, progress: say });
      bus = { ...bus, brokers: up.kafka.brokers, replicationFactor: brokers, minInsyncReplicas: brokers - 1 };
    }
    try {
      const base: Measured[] = [];
      for (const workers of WORKERS) {
        say(`${brokers} broker(s), ${workers} worker(s) ...`);
        const result = await measure(bus, workers, target);
        peakOfAll = Math.max(peakOfAll, ...result.peakRssMb);
        base.push(result);
        const speedup = round(result.drainRate / base[0].drainRate);
        figures.push({
          name: `${brokers} broker(s), ${workers} worker(s): drain`, value: Math.round(result.drainRate), unit: 'events/s',
          note: `${EVENTS} ProductCreated → PUT to a local target; ${speedup}× one worker; worker CPU % of a core: ${result.cpu.join(', ')}; worker peak RSS ${result.peakRssMb.join(', ')} MB`,
        });
        figures.push({
          name: `${brokers} broker(s), ${workers} worker(s): latency p50 / p99 at ${RATE}/s`, value: result.p50 ?? NaN, unit: 'ms',
          note: `p99 ${result.p99 ?? NaN} ms; from the producer's send to the target's answer; ${SECONDS} s`,
        });
      }
    } finally {
      if (dir) {
        await stackDown({ dir, env: stackEnv, only: ['kafka'] });
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  report({ bench: 'scale-out', figures, peakRssMb: peakOfAll });
} finally {
  await target.stop();
}
