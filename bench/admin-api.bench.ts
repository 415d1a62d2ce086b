/**
 * The admin API under a flowing system: the whole system as child processes (tests/kit
 * startSystem with the console, every connector in one worker), BENCH_ADMIN_DEAD_LETTERS poisoned
 * orders dead-lettered first (default 2000), then BENCH_ADMIN_RATE events per second (default
 * 200, StockShortage on scm.stock.v1: three connectors consume every one) for BENCH_ADMIN_S
 * seconds (default 60) while an operator's client asks, one request after another, for the
 * connectors' status, the dead-letter groups of every connector and one connector's newest 100
 * dead letters. Reports p50 and p99 of each (and of the three with nothing flowing, to tell the
 * API's own time from the load's), and the console process's peak RSS (goal ≤ 150 MB), sampled
 * from /proc every 250 ms.
 */
import path from 'node:path';
import { CONNECTORS } from '../connectors/index.js';
import { EXAMPLE_EVENTS } from '../schemas/examples.js';
import { openSystemBus } from '../tests/kit/system-bus.js';
import { startSystem, type SystemConsole } from '../tests/kit/system.js';
import { eventually } from '../tests/kit/isolation.js';
import { PeakRss, percentile, processRssMb, report, round, type Figure } from './support/measure.js';
import { ensureBuild } from './support/processes.js';

const RATE = Number(process.env.BENCH_ADMIN_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_ADMIN_S ?? 60);
const DEAD_LETTERS = Number(process.env.BENCH_ADMIN_DEAD_LETTERS ?? 2000);
const RSS_GOAL_MB = 150;
const POISONED_CONNECTOR = 'crm-order-to-erp';

const say = (line: string) => process.stderr.write(`admin-api: ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The console must run the compiled build, as `switchboard up` runs it (the bin runs the sources through tsx when
// dist/ is older than them: about 35 MB more RSS).
ensureBuild(path.resolve(import.meta.dirname, '..'), say);
const ownRss = new PeakRss(200);
const system = await startSystem({ console: true });
const consoleOf = system.console as SystemConsole;
const consolePid = consoleOf.process.child.pid as number;
let consolePeak = 0;
const rssSampler = setInterval(() => {
  consolePeak = Math.max(consolePeak, processRssMb(consolePid) ?? 0);
}, 250);
const bus = await openSystemBus(system);

/** GET as a viewer; resolves with the milliseconds it took. */
async function timed(path: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${consoleOf.url}${path}`, { headers: { authorization: `Bearer ${consoleOf.tokens.viewer}` } });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
  return performance.now() - started;
}

try {
  say(`system up (prefix ${system.prefix}); poisoning ${DEAD_LETTERS} orders`);
  for (let i = 0; i < DEAD_LETTERS; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, DEAD_LETTERS - i) }, (_, j) => bus.publishRaw('switchboard.crm.OrderPlaced', `O-POISON-${i + j}`, Buffer.from(`not avro ${i + j}`))));
  }
  await eventually(async () => {
    const answer = await fetch(`${consoleOf.url}/api/connectors/${POISONED_CONNECTOR}/dead-letters?groupBy=code`, { headers: { authorization: `Bearer ${consoleOf.tokens.viewer}` } });
    const { groups } = (await answer.json()) as { groups: { count: number }[] };
    return groups.reduce((sum, group) => sum + group.count, 0) >= DEAD_LETTERS ? true : undefined;
  }, 300_000, `${DEAD_LETTERS} dead letters in the console's index`);
  const idleConsoleMb = processRssMb(consolePid) ?? NaN;
  // The same requests with nothing flowing, to tell the API's own time from the load's.
  const idle: number[] = [];
  for (let i = 0; i < 100; i++) {
    idle.push(await timed('/api/connectors'), await timed('/api/dead-letters'), await timed(`/api/connectors/${POISONED_CONNECTOR}/dead-letters?limit=100&status=all`));
    await sleep(50);
  }
  say(`dead letters indexed; console at ${round(idleConsoleMb)} MB; idle p99 ${round(percentile([...idle], 99))} ms; ${RATE} events/s for ${SECONDS} s`);

  let published = 0;
  let flowing = true;
  const flow = (async () => {
    const started = Date.now();
    const shortage = EXAMPLE_EVENTS['switchboard.scm.StockShortage'];
    while (flowing) {
      const due = Math.floor(((Date.now() - started) / 1000) * RATE) - published;
      if (due > 0) {
        await Promise.all(Array.from({ length: due }, (_, i) => bus.publish('switchboard.scm.StockShortage', `SKU-BENCH-${(published + i) % 50}`, { ...shortage, sku: `SKU-BENCH-${(published + i) % 50}` })));
        published += due;
      }
      await sleep(20);
    }
  })();

  const latencies = { status: [] as number[], groups: [] as number[], list: [] as number[] };
  const flowStarted = Date.now();
  while (Date.now() - flowStarted < SECONDS * 1000) {
    latencies.status.push(await timed('/api/connectors'));
    latencies.groups.push(await timed('/api/dead-letters'));
    latencies.list.push(await timed(`/api/connectors/${POISONED_CONNECTOR}/dead-letters?limit=100&status=all`));
    await sleep(50);
  }
  flowing = false;
  await flow;
  const seconds = (Date.now() - flowStarted) / 1000;
  clearInterval(rssSampler);

  const figures: Figure[] = [
    { name: 'events published', value: round(published / seconds), unit: 'events/s', note: `StockShortage, consumed by 3 connectors; goal ${RATE}` },
    { name: 'dead letters indexed', value: DEAD_LETTERS, unit: 'records', note: `all of ${POISONED_CONNECTOR}` },
    { name: 'GET /api/connectors p50', value: round(percentile([...latencies.status], 50)), unit: 'ms', note: `${latencies.status.length} requests; ${CONNECTORS.length} connectors` },
    { name: 'GET /api/connectors p99', value: round(percentile([...latencies.status], 99)), unit: 'ms' },
    { name: 'GET /api/dead-letters p50', value: round(percentile([...latencies.groups], 50)), unit: 'ms', note: 'groups of every connector' },
    { name: 'GET /api/dead-letters p99', value: round(percentile([...latencies.groups], 99)), unit: 'ms' },
    { name: 'GET /api/connectors/:name/dead-letters p50', value: round(percentile([...latencies.list], 50)), unit: 'ms', note: 'newest 100 of one connector' },
    { name: 'GET /api/connectors/:name/dead-letters p99', value: round(percentile([...latencies.list], 99)), unit: 'ms' },
    { name: 'all three routes with nothing flowing p50', value: round(percentile([...idle], 50)), unit: 'ms', note: `${idle.length} requests` },
    { name: 'all three routes with nothing flowing p99', value: round(percentile([...idle], 99)), unit: 'ms' },
    { name: 'console RSS with the index, before the flow', value: round(idleConsoleMb), unit: 'MB' },
    { name: 'console peak RSS', value: round(consolePeak), unit: 'MB', note: `goal ≤ ${RSS_GOAL_MB} MB${consolePeak <= RSS_GOAL_MB ? '' : ': ABOVE THE GOAL'}` },
  ];
  for (const figure of figures) say(`${figure.name}: ${figure.value} ${figure.unit}${figure.note ? ` (${figure.note})` : ''}`);
  report({ bench: 'admin-api', figures, peakRssMb: ownRss.stopMb() });
} finally {
  clearInterval(rssSampler);
  await system.stop();
  await bus.close();
}
