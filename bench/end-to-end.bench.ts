/**
 * End to end through the whole system (tests/support/system.ts: the three services and one
 * worker running every connector, as real child processes, on prefixed topics): the latency
 * from "the CRM accepted the order" (POST /orders answered 201) to "the SCM created the
 * shipment" (the ShipmentCreated event on scm.shipment.v1, matched by the correlation id the
 * order was placed with), p50 and p99, at stepped order rates; and the highest rate the
 * system sustains for a minute with the connectors' consumer lag not growing.
 *
 * Each step places orders at a fixed rate for BENCH_E2E_STEP_S seconds (default 60), samples
 * the summed lag of every connector's consumer group every 5 s, then waits for every order of
 * the step to reach its shipment. A step is sustained when the placer kept the rate, the lag's
 * trend while placing added at most one second of the flow's work over the step
 * (support/lag-trend.ts), every order got its shipment, and latency did not climb through the step.
 * Stepping stops at the first rate not sustained. Peak RSS of the worker and of each service
 * is sampled from /proc every second (limits: worker 200 MB at its highest sustained rate,
 * service 120 MB), and the CPU each process used per step (/proc/<pid>/stat), in % of one core.
 *
 * The processes run the compiled build (dist/, built first when older than the sources), as
 * `switchboard up` runs them in production. The latency goal is read at 50 orders/s
 * (BENCH_E2E_LATENCY_RATE): p99 accepted → shipment created ≤ 100 ms.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { CONNECTORS } from '../connectors/index.js';
import { Bus, fromEventHeaders, loadBusConfig } from '../hub/bus/index.js';
import { createLogger } from '../hub/log/logger.js';
import { connectorGroups, connectorTopics } from '../hub/runtime/connector-topics.js';
import { SchemaRegistryClient } from '../hub/schema/client/registry-client.js';
import { AvroCodec } from '../hub/schema/codec/avro-codec.js';
import type { ShipmentCreated } from '../catalogue/index.js';
import { eventSchema } from '../schemas/schema-catalog.js';
import { kitCredentials } from '../tests/kit/credentials.js';
import { startSystem } from '../tests/kit/system.js';
import { Services } from '../demo/http.js';
import { seedMasterData, type SeedCustomer } from '../demo/seed.js';
import path from 'node:path';
import { PeakRss, percentile, processRssMb as rssMb, report, round, type Figure } from './support/measure.js';
import { cpuSecondsOf, ensureBuild, machineCpuTicks } from './support/processes.js';
import { describeLagVerdict, lagVerdict, type LagSample, type LagVerdict } from './support/lag-trend.js';
import { connectorWaits, describeRouteWaits, describeWaits, scrapeConnectorTotals, scrapeLoopDelay, scrapeMemory, scrapeRouteTotals, type ConnectorWait } from './support/connector-waits.js';

const RATES = (process.env.BENCH_E2E_RATES ?? '10,50,100,125,150').split(',').map(Number);
/** Products the orders go round (their lines' SKUs). */
const SKUS = Number(process.env.BENCH_E2E_SKUS ?? 40);
/** The step whose latency is reported against the goal. */
const LATENCY_RATE = Number(process.env.BENCH_E2E_LATENCY_RATE ?? 50);
const STEP_S = Number(process.env.BENCH_E2E_STEP_S ?? 60);
const LAG_SAMPLE_MS = 5000;
const DRAIN_TIMEOUT_MS = 60_000;
const WORKER_LIMIT_MB = 200;
const SERVICE_LIMIT_MB = 120;

interface Pending {
  readonly acceptedAt: number;
  readonly step: number;
  createdAt?: number;
  seenAt?: number;
}

interface StepResult {
  readonly rate: number;
  readonly placed: number;
  readonly failed: number;
  readonly achievedRate: number;
  readonly shipped: number;
  readonly createdP50: number;
  readonly createdP99: number;
  readonly seenP99: number;
  readonly seenP50: number;
  readonly lagSamples: number[];
  /** The trend of the lag while placing, against one second of the flow's work (bench/support/lag-trend.ts). */
  readonly lag: LagVerdict;
  /** Peak RSS of the worker during the step and its drain, MB. */
  readonly workerPeakMb: number;
  /** CPU each process used during the step (placing and draining), % of one core, by role. */
  readonly cpu: ReadonlyMap<string, number>;
  /** The whole machine's CPU use during the step (broker, Redis and this bench included), % of all its cores. */
  readonly machineBusy: number;
  /** Event-loop delay of each process during the step, p99 / max ms, by role. */
  readonly loopDelay: ReadonlyMap<string, { p99Ms: number; maxMs: number }>;
  /** The worker's V8 heap and external memory at the step's end (what its RSS is made of). */
  readonly workerMemory: { heapUsedMb: number; heapTotalMb: number; externalMb: number };
  readonly sustained: boolean;
  readonly why: string;
  /** Per connector, from the worker's metrics: mean age at apply and processing time of the step's events, oldest first. */
  readonly waits: readonly ConnectorWait[];
}

const logger = createLogger('bench', { level: 'warn' });
const describeMemory = (memory: StepResult['workerMemory']) => `worker heap ${memory.heapUsedMb} MB used of ${memory.heapTotalMb} MB, external ${memory.externalMb} MB at the step's end`;
const describeLoopDelay = (delays: ReadonlyMap<string, { p99Ms: number; maxMs: number }>) =>
  [...delays].map(([role, d]) => `${role} ${Math.round(d.p99Ms)}/${Math.round(d.maxMs)}`).join(', ');
const say = (line: string) => process.stderr.write(`e2e: ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The children of this process by role (`service crm`, `worker`), from their command lines. */
function childPids(): Map<string, number> {
  const found = new Map<string, number>();
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  for (const line of out.split('\n')) {
    const match = /^\s*(\d+)\s+.*switchboard\.js\s+(service\s+\w+|worker)/.exec(line);
    if (match) found.set(match[2].replace(/\s+/, ' '), Number(match[1]));
  }
  return found;
}

/** The local stack's broker and Redis processes (by command line), for the CPU figures. */
function stackPids(): Map<string, number> {
  const found = new Map<string, number>();
  for (const [role, pattern] of [['kafka', 'kafka\\.Kafka'], ['redis', 'redis-server']]) {
    // pgrep exits 1 when nothing matches (a remote stack): that role is then left out.
    const pid = Number(spawnSync('pgrep', ['-o', '-f', pattern], { encoding: 'utf8' }).stdout.trim() || NaN);
    if (Number.isFinite(pid)) found.set(role, pid);
  }
  return found;
}

ensureBuild(path.resolve(import.meta.dirname, '..'), say);
// The children run dist/ (bin/switchboard.js prefers it when it is not older than the sources).
const system = await startSystem({ env: { SWITCHBOARD_FROM_SOURCE: '0' } });
const peaks = new Map<string, number>();
/** Peaks within the current step only (cleared when a step starts). */
const stepPeaks = new Map<string, number>();
const pids = childPids();
/** Whose CPU each step reports: the system's children, and what they share the machine with (the broker, Redis, this bench). */
const cpuPids = new Map([...pids, ...stackPids(), ['bench', process.pid]]);
const sampler = setInterval(() => {
  for (const [role, pid] of pids) {
    const mb = rssMb(pid);
    if (mb !== undefined && mb > (peaks.get(role) ?? 0)) peaks.set(role, mb);
    if (mb !== undefined && mb > (stepPeaks.get(role) ?? 0)) stepPeaks.set(role, mb);
  }
}, 1000);
const ownRss = new PeakRss(200);
const bus = new Bus(loadBusConfig(), logger, 'bench-e2e');
const admin = bus.admin();
const codecForShipments = new AvroCodec({ registry: new SchemaRegistryClient({ url: system.registryUrl, timeoutMs: 5000 }) });
const shipmentType = eventSchema('switchboard.scm.ShipmentCreated').ceType;
const pending = new Map<string, Pending>();
const byOrderId = new Map<string, string>();
let unmatched = 0;
let byCorrelation = 0;
const consumer = bus.consumer({
  groupId: `${system.prefix}bench.e2e`, topics: [eventSchema('switchboard.scm.ShipmentCreated').topicName(system.prefix)], fromBeginning: true, partitionsConcurrently: 6, logger,
  handle: async (record) => {
    const seenAt = Date.now();
    const metadata = fromEventHeaders(record.headers);
    if (metadata.type !== shipmentType) return;
    let entry = pending.get(metadata.correlationId);
    if (entry) byCorrelation++;
    else if (record.value) {
      // The correlation id did not travel: match by the CRM order id in the event instead.
      const { value } = await codecForShipments.decode(record.value);
      const correlation = byOrderId.get((value as ShipmentCreated).crmOrderId);
      entry = correlation ? pending.get(correlation) : undefined;
    }
    if (!entry) {
      unmatched++;
      return;
    }
    if (entry.seenAt === undefined) {
      entry.seenAt = seenAt;
      entry.createdAt = Date.parse(metadata.time);
    }
  },
});

try {
  say(`system up (prefix ${system.prefix}); children ${JSON.stringify(Object.fromEntries(pids))}`);
  const services = new Services(system.urls, kitCredentials().operatorAuthorization);
  const customers: SeedCustomer[] = Array.from({ length: 20 }, (_, i) => ({
    name: `Bench customer ${i}`, email: `bench-${i}@bench.example`, segment: 'ENTERPRISE',
    address: { line1: `Bench street ${i}`, city: 'Berlin', postalCode: '10115', country: 'DE' },
  }));
  // Cheap products and deep stock: no credit limit or backorder gets in the way of the rate.
  // Orders go round BENCH_E2E_SKUS products (default 40). Stock events are ordered per SKU and
  // warehouse, so each SKU's are applied one after another: with the 4 products this bench had,
  // every step's stock moves queued four abreast, and the bench measured its own catalogue's hot
  // keys (bench/COMPARISONS.md) rather than the hub.
  const data = await seedMasterData(services, {
    products: Array.from({ length: SKUS }, (_, i) => ({ sku: `BENCH-${i + 1}`, name: `Bench item ${i + 1}`, unitPrice: '1.00', standardCost: '0.50' })),
    customers, warehouseId: 'WH-BENCH', stockPerSku: 1_000_000, reorderPoint: 0, reorderQuantity: 0, timeoutMs: 120_000, log: say,
  });

  // Resident size once started and seeded, before the load: what the processes need idle.
  const idle = new Map([...pids].map(([role, pid]) => [role, rssMb(pid) ?? NaN]));
  await admin.connect();
  await consumer.start();

  /** Summed consumer lag of every connector's main group. */
  const totalLag = async (): Promise<number> => {
    const ends = new Map<string, Map<number, bigint>>();
    let lag = 0;
    for (const definition of CONNECTORS) {
      const { sources } = connectorTopics(definition, system.prefix);
      const groupId = connectorGroups(definition.name, system.prefix).main;
      const committed = await admin.committedOffsets(groupId, sources);
      for (const topic of sources) {
        if (!ends.has(topic)) ends.set(topic, new Map((await admin.topicOffsets(topic)).map((o) => [o.partition, BigInt(o.high)])));
        for (const [partition, end] of ends.get(topic) ?? []) {
          const offset = BigInt(committed.find((c) => c.topic === topic && c.partition === partition)?.offset ?? '-1');
          // Ends are read before the commits: a commit past the end read is no lag, not negative lag.
          lag += Math.max(0, Number(end - (offset < 0n ? 0n : offset)));
        }
      }
    }
    return lag;
  };

  let sequence = 0;
  const runStep = async (step: number, rate: number): Promise<StepResult> => {
    say(`step ${step}: ${rate} orders/s for ${STEP_S} s`);
    let placed = 0;
    let failed = 0;
    stepPeaks.clear();
    const lagSamples: LagSample[] = [];
    const started = Date.now();
    const cpuAtStart = new Map([...cpuPids].map(([role, pid]) => [role, cpuSecondsOf(pid)]));
    const machineAtStart = machineCpuTicks();
    const workerMetrics = system.metricsUrls().worker1;
    // Every scrape resets a process's event-loop delay histogram, so the two below (worker and
    // services) start the step's; what its end reads is the step's.
    const loopUrls = { worker: workerMetrics, crm: system.metricsUrls().crm, erp: system.metricsUrls().erp, scm: system.metricsUrls().scm };
    const totalsAtStart = await scrapeConnectorTotals(workerMetrics);
    const serviceNames = ['crm', 'erp', 'scm'] as const;
    const routesAtStart = await Promise.all(serviceNames.map((name) => scrapeRouteTotals(system.metricsUrls()[name])));
    const sampling = (async () => {
      while (Date.now() - started < STEP_S * 1000) {
        await sleep(LAG_SAMPLE_MS);
        const atS = (Date.now() - started) / 1000;
        lagSamples.push({ atS, lag: await totalLag() });
      }
    })();
    const inFlight: Promise<void>[] = [];
    const interval = 1000 / rate;
    let next = performance.now();
    const end = performance.now() + STEP_S * 1000;
    while (performance.now() < end) {
      const n = sequence++;
      const correlation = `bench-${system.prefix}${n}`;
      inFlight.push((async () => {
        try {
          const answer = await services.post<{ id: string }>('crm', '/orders', {
            customerId: data.customerIds[n % data.customerIds.length], lines: [{ sku: data.skus[n % data.skus.length], quantity: 1 }],
          }, { headers: { 'x-correlation-id': correlation } });
          pending.set(correlation, { acceptedAt: Date.now(), step });
          byOrderId.set(answer.body.id, correlation);
          placed++;
        } catch (error) {
          failed++;
          if (failed <= 3) say(`order not placed: ${error instanceof Error ? error.message : String(error)}`);
        }
      })());
      next += interval;
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
    }
    const placedFor = (Date.now() - started) / 1000;
    await Promise.all(inFlight);
    await sampling;
    const mine = () => [...pending.values()].filter((p) => p.step === step);
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (mine().some((p) => p.seenAt === undefined) && Date.now() < deadline) await sleep(500);
    const entries = mine();
    const done = entries.filter((p) => p.seenAt !== undefined);
    const created = done.map((p) => (p.createdAt ?? 0) - p.acceptedAt);
    const seen = done.map((p) => (p.seenAt ?? 0) - p.acceptedAt);
    // Latency trend: the first third of the orders against the last third, by acceptance.
    const ordered = [...done].sort((a, b) => a.acceptedAt - b.acceptedAt);
    const third = Math.max(1, Math.floor(ordered.length / 3));
    const early = percentile(ordered.slice(0, third).map((p) => (p.createdAt ?? 0) - p.acceptedAt), 50);
    const late = percentile(ordered.slice(-third).map((p) => (p.createdAt ?? 0) - p.acceptedAt), 50);
    const achievedRate = placed / placedFor;
    const reasons: string[] = [];
    if (achievedRate < rate * 0.9) reasons.push(`placed only ${achievedRate.toFixed(1)}/s`);
    if (failed > 0) reasons.push(`${failed} orders refused`);
    if (done.length < entries.length) reasons.push(`${entries.length - done.length} orders without a shipment ${DRAIN_TIMEOUT_MS / 1000} s after the step`);
    // Before any other scrape of the worker's /metrics: each one resets its event-loop delay histogram.
    const loopDelay = new Map(await Promise.all(Object.entries(loopUrls).map(async ([role, url]) => [role, await scrapeLoopDelay(url)] as const)));
    const waits = connectorWaits(totalsAtStart, await scrapeConnectorTotals(workerMetrics));
    const lag = lagVerdict(lagSamples, placedFor, waits.reduce((sum, wait) => sum + wait.applied, 0) / placedFor);
    if (lag.growing) reasons.push(`lag grew by ${lag.rise} events over the step, more than one second of the flow's work (${lag.allowed})`);
    if (late > early * 2 + 1000) reasons.push(`latency climbed (p50 ${Math.round(early)} → ${Math.round(late)} ms)`);
    const stepSeconds = (Date.now() - started) / 1000;
    const cpu = new Map([...cpuPids].map(([role, pid]) => [role, round(((cpuSecondsOf(pid) - (cpuAtStart.get(role) ?? NaN)) / stepSeconds) * 100, 3)]));
    const machineAtEnd = machineCpuTicks();
    const machineBusy = round(((machineAtEnd.busy - machineAtStart.busy) / (machineAtEnd.total - machineAtStart.total)) * 100, 3);
    const workerMemory = await scrapeMemory(workerMetrics);
    const result: StepResult = {
      rate, placed, failed, achievedRate, shipped: done.length, cpu, machineBusy, loopDelay, workerMemory,
      createdP50: percentile(created, 50), createdP99: percentile(created, 99), seenP50: percentile(seen, 50), seenP99: percentile(seen, 99),
      lagSamples: lagSamples.map((sample) => sample.lag), lag, workerPeakMb: round(stepPeaks.get('worker') ?? NaN, 3), sustained: reasons.length === 0, why: reasons.join('; ') || 'sustained', waits,
    };
    say(`step ${step}: worker peak RSS ${result.workerPeakMb} MB; ${rate}/s placed ${placed} (${achievedRate.toFixed(1)}/s), shipped ${done.length}, p50 ${Math.round(result.createdP50)} ms, p99 ${Math.round(result.createdP99)} ms, lag ${JSON.stringify(result.lagSamples)} (${describeLagVerdict(lag)}) → ${result.why}`);
    say(`step ${step}: machine CPU ${machineBusy} % busy; event-loop delay p99/max ms: ${describeLoopDelay(loopDelay)}; ${describeMemory(workerMemory)}`);
    say(`step ${step}: where events waited (mean age at apply / processing, per connector): ${describeWaits(waits)}`);
    for (const [i, name] of serviceNames.entries()) say(`step ${step}: ${name} served (mean per route): ${describeRouteWaits(routesAtStart[i], await scrapeRouteTotals(system.metricsUrls()[name]))}`);
    return result;
  };

  const results: StepResult[] = [];
  for (const [index, rate] of RATES.entries()) {
    const result = await runStep(index, rate);
    results.push(result);
    if (!result.sustained) break;
  }

  clearInterval(sampler);
  const fixed = results.find((r) => r.rate === LATENCY_RATE) ?? results[0];
  const sustained = results.filter((r) => r.sustained);
  const best = sustained.length ? sustained[sustained.length - 1].rate : 0;
  const ms = (value: number) => round(value, 3);
  const workerPeak = round(peaks.get('worker') ?? NaN, 3);
  const figures: Figure[] = [
    { name: `accepted → shipment created p50 at ${fixed.rate} orders/s`, value: ms(fixed.createdP50), unit: 'ms', note: `${fixed.shipped} orders over ${STEP_S} s; created = ShipmentCreated's ce_time` },
    { name: `accepted → shipment created p99 at ${fixed.rate} orders/s`, value: ms(fixed.createdP99), unit: 'ms', note: fixed.rate === LATENCY_RATE ? 'goal ≤ 100 ms' : `the ${LATENCY_RATE} orders/s step was not reached` },
    { name: `accepted → ShipmentCreated consumed p50 at ${fixed.rate} orders/s`, value: ms(fixed.seenP50), unit: 'ms', note: 'includes the SCM outbox relay to Kafka' },
    { name: `accepted → ShipmentCreated consumed p99 at ${fixed.rate} orders/s`, value: ms(fixed.seenP99), unit: 'ms' },
    {
      name: 'highest rate sustained for a minute, lag not growing', value: best, unit: 'orders/s',
      note: `goal ≥ 100; orders go round ${SKUS} products; ${best === RATES[RATES.length - 1] ? 'the highest rate tried (at least this)' : `next step: ${results[results.length - 1]?.why ?? ''}`}`,
    },
  ];
  for (const r of results) {
    const cpu = [...r.cpu].map(([role, percent]) => `${role.replace('service ', '')} ${percent}`).join(', ');
    figures.push({
      name: `step ${r.rate} orders/s: created p50 / p99`, value: ms(r.createdP50), unit: 'ms',
      note: `p99 ${ms(r.createdP99)} ms; placed ${r.achievedRate.toFixed(1)}/s; lag samples ${r.lagSamples.join(' ')} (over the step: ${describeLagVerdict(r.lag)}); worker peak RSS ${r.workerPeakMb} MB; CPU % of a core: ${cpu}; machine ${r.machineBusy} % busy; event-loop delay p99/max ms: ${describeLoopDelay(r.loopDelay)}; ${describeMemory(r.workerMemory)}; ${r.why}`,
    });
    figures.push({
      name: `step ${r.rate} orders/s: oldest mean age at apply, one connector`, value: ms(r.waits[0]?.meanAgeMs ?? NaN), unit: 'ms',
      note: `mean age at apply / processing per connector, oldest first (the worker's metrics): ${describeWaits(r.waits)}`,
    });
  }
  figures.push({
    name: 'peak RSS, worker, at its highest sustained rate', value: sustained.length ? sustained[sustained.length - 1].workerPeakMb : NaN, unit: 'MB',
    note: `limit ${WORKER_LIMIT_MB} MB; the ${best} orders/s step (steps sustained: ${sustained.map((r) => r.rate).join(', ')})`,
  });
  figures.push({ name: 'peak RSS, worker (all 15 connectors), whole run', value: workerPeak, unit: 'MB', note: `limit ${WORKER_LIMIT_MB} MB: ${workerPeak < WORKER_LIMIT_MB ? 'within' : 'OVER'}; ${round(idle.get('worker') ?? NaN, 3)} MB idle after start` });
  for (const name of ['crm', 'erp', 'scm']) {
    const peak = round(peaks.get(`service ${name}`) ?? NaN, 3);
    figures.push({ name: `peak RSS, ${name.toUpperCase()} service`, value: peak, unit: 'MB', note: `limit ${SERVICE_LIMIT_MB} MB: ${peak < SERVICE_LIMIT_MB ? 'within' : 'OVER'}; ${round(idle.get(`service ${name}`) ?? NaN, 3)} MB idle after start` });
  }
  figures.push({ name: 'shipments matched by correlation id', value: byCorrelation, unit: 'events', note: `${unmatched} ShipmentCreated events matched no order of this bench` });
  report({ bench: 'end-to-end', figures, peakRssMb: workerPeak });
  say(`bench process peak RSS ${ownRss.stopMb()} MB`);
} catch (error) {
  say(`failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n${system.logTail(40)}`);
  process.exitCode = 1;
} finally {
  clearInterval(sampler);
  await consumer.stop().catch(() => undefined);
  await admin.close().catch(() => undefined);
  await system.stop();
}
