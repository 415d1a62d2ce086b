/**
 * The console's tracking projection and pages under volume: BENCH_CONSOLE_ORDERS orders
 * (default 100 000), each as OrderPlaced, SalesOrderConfirmed and a settling PaymentReceived,
 * are published on prefixed topics (encoded through an in-process registry) with the workers'
 * completed keys in Redis (as if every connector had applied them), then `switchboard console`
 * starts as its own process and its projection reads them all from the beginning. Reports:
 *
 * - the projection's catch-up rate in events per second (goal ≥ 2000), from the console's start
 *   until its database holds every event;
 * - p50 and p99 of `GET /api/track?q=<id>` over the 100 000 tracked orders, by a CRM order id or
 *   an ERP sales order number picked at random (goal p99 ≤ 50 ms), and of `GET /api/dashboard`;
 * - the console process's peak RSS during the catch-up and the queries (goal < 200 MB), from /proc;
 * - how soon the flow map's live stream shows new traffic: a burst of CustomerCreated published,
 *   timed until a `flow` event shows `crm.customer.v1` moving (goal ≤ 2 s), five times.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Bus, loadBusConfig, toEventHeaders, type OutgoingRecord } from '../hub/bus/index.js';
import { TokenStore } from '../hub/admin/token-store.js';
import { createLogger } from '../hub/log/logger.js';
import { createRegistryServer } from '../hub/schema/registry/index.js';
import { SchemaRegistryClient } from '../hub/schema/client/registry-client.js';
import { AvroCodec } from '../hub/schema/codec/avro-codec.js';
import { stateKey, createRedis, loadRedisUrl } from '../hub/state/redis.js';
import { Supervisor, httpAnswers } from '../hub/supervisor/supervisor.js';
import { EXAMPLE_EVENTS } from '../schemas/examples.js';
import { eventSchema } from '../schemas/schema-catalog.js';
import { applyTopics } from '../topics/provision.js';
import type { EventFullName } from '../catalogue/index.js';
import { freePort } from '../tests/kit/ports.js';
import { uniquePrefix } from '../tests/kit/isolation.js';
import { TrackQuery } from '../hub/tracking/track-query.js';
import { PeakRss, percentile, processCpuSeconds, processRssMb, report, round, type Figure } from './support/measure.js';
import { ensureBuild } from './support/processes.js';

const ORDERS = Number(process.env.BENCH_CONSOLE_ORDERS ?? 100_000);
const QUERIES = Number(process.env.BENCH_CONSOLE_QUERIES ?? 2000);
const say = (line: string) => process.stderr.write(`console: ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ENTRY = path.resolve(import.meta.dirname, '../bin/switchboard.js');

// The console must run the compiled build, as `switchboard up` runs it: with dist/ older than the sources the bin
// runs the sources through tsx, about 35 MB more RSS (bench/COMPARISONS.md, console RSS at start).
ensureBuild(path.resolve(import.meta.dirname, '..'), say);
const ownRss = new PeakRss(200);
const prefix = uniquePrefix('bcon');
const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-console-bench-'));
const logger = createLogger('bench', { level: 'warn' });
const busConfig = loadBusConfig();
const bus = new Bus(busConfig, logger, 'bench');
const admin = bus.admin();
await admin.connect();
await applyTopics(admin, { replicationFactor: 1, minInsyncReplicas: 1, prefix });
const registry = createRegistryServer({ port: 0, host: '127.0.0.1', topic: `${prefix}_schemas`, logger });
const registryUrl = await registry.start();
const codec = new AvroCodec({ registry: new SchemaRegistryClient({ url: registryUrl, timeoutMs: 10_000 }) });
const redis = createRedis(loadRedisUrl(), logger, 'bench');
const producer = bus.producer();
const supervisor = new Supervisor(ENTRY, (line) => appendFileSync(path.join(dir, 'console.log'), `${line}\n`), { stopAllOnExit: false });

/** Which connectors handle each event type published here (their completed keys are set). */
const HANDLERS: Partial<Record<EventFullName, string[]>> = {
  'switchboard.crm.OrderPlaced': ['crm-order-to-erp'],
  'switchboard.erp.SalesOrderConfirmed': ['erp-order-to-scm', 'erp-order-to-crm'],
  'switchboard.erp.PaymentReceived': ['erp-invoice-to-crm'],
  'switchboard.crm.CustomerCreated': ['crm-customer-to-erp', 'crm-customer-to-scm'],
};

/** One encoded event with its headers, and the pipeline commands that mark it applied. */
async function record(type: EventFullName, key: string, value: object, at: number, keys: string[][]): Promise<OutgoingRecord> {
  const schema = eventSchema(type);
  const id = randomUUID();
  for (const connector of HANDLERS[type] ?? []) keys.push([stateKey(prefix, 'done', `${connector}:${id}`), String(at + 50)]);
  const headers = toEventHeaders({ id, source: schema.topic.system, type: schema.ceType, time: new Date(at).toISOString(), correlationId: key, traceparent: `00-${randomUUID().replace(/-/g, '')}-${randomUUID().replace(/-/g, '').slice(0, 16)}-01` });
  return { topic: schema.topicName(prefix), key, value: await codec.encode(schema.subject(prefix), value), headers };
}

async function publishOrders(): Promise<number> {
  const base = Date.now() - 3 * 3600_000;
  let events = 0;
  for (let start = 0; start < ORDERS; start += 2000) {
    const records: OutgoingRecord[] = [];
    const keys: string[][] = [];
    for (let i = start; i < Math.min(ORDERS, start + 2000); i++) {
      const orderId = `O-B${i}`;
      const at = base + i * 50;
      records.push(await record('switchboard.crm.OrderPlaced', orderId, { ...EXAMPLE_EVENTS['switchboard.crm.OrderPlaced'], orderId, customerId: `C-B${i % 500}` }, at, keys));
      records.push(await record('switchboard.erp.SalesOrderConfirmed', orderId, { ...EXAMPLE_EVENTS['switchboard.erp.SalesOrderConfirmed'], crmOrderId: orderId, salesOrderNumber: `SO-B${i}`, crmCustomerId: `C-B${i % 500}` }, at + 900, keys));
      records.push(await record('switchboard.erp.PaymentReceived', orderId, { ...EXAMPLE_EVENTS['switchboard.erp.PaymentReceived'], crmOrderId: orderId, salesOrderNumber: `SO-B${i}`, invoiceNumber: `INV-B${i}`, paymentId: `PAY-B${i}`, invoiceSettled: true }, at + 60_000 + (i % 97) * 1000, keys));
    }
    const pipeline = redis.pipeline();
    for (const [key, value] of keys) pipeline.set(key, value, 'EX', 3600);
    await Promise.all([producer.sendAll(records), pipeline.exec()]);
    events += records.length;
    if (start % 20_000 === 0) say(`published ${events} events`);
  }
  return events;
}

/** Counts the events the console's database holds (read-only, beside the console). */
function storedEvents(file: string): number {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/** Milliseconds until the flow stream shows `crm.customer.v1` moving after a burst of customers. */
async function liveDelay(url: string, token: string): Promise<number[]> {
  const delays: number[] = [];
  const controller = new AbortController();
  let latest: { topics: Record<string, { perSecond: number }> } | undefined;
  const response = await fetch(`${url}/api/flow/stream`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
  let seenAt = 0;
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const data = buffer.slice(0, end).split('\n').find((line) => line.startsWith('data:'));
        buffer = buffer.slice(end + 2);
        if (data) {
          latest = JSON.parse(data.slice(5)) as typeof latest;
          if ((latest?.topics['crm.customer.v1']?.perSecond ?? 0) > 0 && seenAt === 0) seenAt = performance.now();
        }
      }
    }
  })();
  for (let round = 0; round < 5; round++) {
    // Quiet first: the five-second window must have emptied.
    while ((latest?.topics['crm.customer.v1']?.perSecond ?? 1) > 0) await sleep(200);
    seenAt = 0;
    const started = performance.now();
    const keys: string[][] = [];
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => record('switchboard.crm.CustomerCreated', `C-LIVE-${round}-${i}`, { ...EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'], customerId: `C-LIVE-${round}-${i}` }, Date.now(), keys)));
    await producer.sendAll(burst);
    while (seenAt === 0 && performance.now() - started < 15_000) await sleep(20);
    delays.push(seenAt === 0 ? NaN : seenAt - started);
  }
  controller.abort();
  return delays;
}

const figures: Figure[] = [];
try {
  say(`prefix ${prefix}: publishing ${ORDERS} orders (3 events each)`);
  const events = await publishOrders();

  const port = await freePort();
  const tokensFile = path.join(dir, 'tokens.json');
  const token = TokenStore.fromFile(tokensFile).create('bench', 'viewer').token;
  const dbFile = path.join(dir, 'tracking.db');
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const consoleProcess = await supervisor.start({
    name: 'console', args: ['console'], ready: () => httpAnswers(`${url}/readyz`),
    env: { ...process.env, SWITCHBOARD_TOPIC_PREFIX: prefix, SCHEMA_REGISTRY_URL: registryUrl, ADMIN_PORT: String(port), SWITCHBOARD_TOKENS_FILE: tokensFile, TRACKING_DB_PATH: dbFile, LOG_LEVEL: 'warn' },
    // The supervisor gives the console its tuning, as `switchboard up` does; for profiling the console
    // alone, BENCH_CONSOLE_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/profiles' (NODE_OPTIONS refuses --cpu-prof).
    nodeFlags: process.env.BENCH_CONSOLE_NODE_FLAGS?.split(' ').filter(Boolean) ?? [],
  }, 120_000);
  const pid = consoleProcess.child.pid as number;
  figures.push({ name: 'console RSS at start', value: round(processRssMb(pid) ?? NaN), unit: 'MB', note: 'when /readyz first answers' });
  let consolePeak = 0;
  const rss = setInterval(() => { consolePeak = Math.max(consolePeak, processRssMb(pid) ?? 0); }, 250);
  say('console up; catching up');
  let stored = 0;
  while ((stored = storedEvents(dbFile)) < events) {
    await sleep(500);
    if (performance.now() - started > 1_200_000) throw new Error(`the projection holds ${stored} of ${events} events after 20 minutes`);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = processCpuSeconds(pid) ?? NaN;
  figures.push({ name: 'projection catch-up', value: round(events / seconds), unit: 'events/s', note: `${events} events of ${ORDERS} orders in ${round(seconds)} s, from the console's start (goal ≥ 2000)` });
  figures.push({ name: 'projection catch-up per CPU second', value: round(events / cpuSeconds), unit: 'events/CPU s', note: `the console used ${round(cpuSeconds)} CPU s (start included) for them: the wall-clock rate's ceiling when it has a core to itself` });
  say(`caught up in ${round(seconds)} s`);
  const caughtUpMb = processRssMb(pid) ?? NaN;

  const get = async (pathAndQuery: string) => {
    const t = performance.now();
    const response = await fetch(`${url}${pathAndQuery}`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET ${pathAndQuery}: ${response.status}`);
    return performance.now() - t;
  };
  const track: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const n = Math.floor(Math.random() * ORDERS);
    track.push(await get(`/api/track?q=${i % 2 === 0 ? `O-B${n}` : `SO-B${n}`}`));
  }
  figures.push({ name: 'track query p50', value: round(percentile(track, 50)), unit: 'ms', note: `${QUERIES} GET /api/track by a CRM order id or an ERP sales order number over ${ORDERS} orders, HTTP included` });
  figures.push({ name: 'track query p99', value: round(percentile(track, 99)), unit: 'ms', note: 'goal ≤ 50 ms' });
  // The same lookups inside one process (the query alone, no HTTP, no other work of the console).
  const readOnly = new Database(dbFile, { readonly: true });
  const direct = new TrackQuery(readOnly, new Map());
  const inProcess: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const n = Math.floor(Math.random() * ORDERS);
    const t = performance.now();
    direct.find(i % 2 === 0 ? `O-B${n}` : `SO-B${n}`);
    inProcess.push(performance.now() - t);
  }
  readOnly.close();
  figures.push({ name: 'track query p99, the query alone', value: round(percentile(inProcess, 99)), unit: 'ms', note: 'TrackQuery.find on the same database in the benchmark\'s process' });
  const dashboard: number[] = [];
  for (let i = 0; i < 20; i++) dashboard.push(await get('/api/dashboard'));
  figures.push({ name: 'dashboard p50', value: round(percentile(dashboard, 50)), unit: 'ms', note: `GET /api/dashboard over ${ORDERS} orders` });

  const delays = await liveDelay(url, token);
  figures.push({ name: 'flow map live update, median', value: round(percentile([...delays], 50)), unit: 'ms', note: 'a burst of 20 CustomerCreated until a flow event shows crm.customer.v1 moving' });
  figures.push({ name: 'flow map live update, max', value: round(Math.max(...delays)), unit: 'ms', note: `five bursts (${delays.map((d) => Math.round(d)).join(', ')} ms); goal ≤ 2000 ms` });
  clearInterval(rss);
  figures.push({ name: 'console RSS after catch-up', value: round(caughtUpMb), unit: 'MB', note: `${ORDERS} tracked orders` });
  figures.push({ name: 'console peak RSS', value: round(consolePeak), unit: 'MB', note: 'catch-up, queries and stream (goal < 200 MB), sampled every 250 ms' });
  await supervisor.stopOne(consoleProcess, 'SIGTERM');
} catch (error) {
  process.stderr.write(`${readFileSync(path.join(dir, 'console.log'), 'utf8').split('\n').slice(-40).join('\n')}\n`);
  throw error;
} finally {
  await supervisor.stop();
  await producer.close();
  await registry.stop();
  await admin.delete((await admin.list()).filter((name) => name.startsWith(prefix)));
  await admin.close();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
}

report({ bench: 'console', figures, peakRssMb: ownRss.stopMb() });
