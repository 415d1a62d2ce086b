/**
 * Change-data capture: `switchboard cdc` as its own process (as `switchboard up` runs it) on a
 * database of the stack's PostgreSQL, publishing to prefixed topics through the built-in
 * registry (in this process). Two questions:
 *  - rate: rows changed in transactions of 100 as fast as PostgreSQL takes them; how many rows a
 *    second go from commit to Kafka's acknowledgement? Measured at the slot: its confirmed LSN
 *    moves only after Kafka acknowledged everything before it.
 *  - lag: under a steady 1000 row changes a second (one row per transaction, four writers), how
 *    long from a commit until its LSN is confirmed (p50, p99, max; sampled every 100 ms, polled
 *    every 10 ms)?
 * Reports the CDC process's peak RSS.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { Bus, loadBusConfig } from '../hub/bus/index.js';
import { createLogger } from '../hub/log/logger.js';
import { parseLsn } from '../hub/adapters/cdc/lsn.js';
import { spawnArgsOf } from '../hub/supervisor/process-tuning.js';
import { applyTopics } from '../topics/provision.js';
import { createTestDatabase } from '../tests/kit/kit-postgres.js';
import { uniquePrefix } from '../tests/kit/isolation.js';
import { startTestRegistry } from '../tests/kit/outbox-harness.js';
import { percentile, report, round } from './support/measure.js';

const ROWS = Number(process.env.BENCH_CDC_ROWS ?? 50_000);
const RATE = Number(process.env.BENCH_CDC_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_CDC_SECONDS ?? 20);
const KEYS = 1000;
const WRITERS = 4;

const logger = createLogger('bench', { level: 'warn' });
const prefix = uniquePrefix('cdcb');
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const admin = new Bus(loadBusConfig(), logger).admin();
await admin.connect();
await applyTopics(admin, { replicationFactor: 1, minInsyncReplicas: 1, prefix });
const registry = await startTestRegistry(prefix, logger);
const db = await createTestDatabase('bench');
await db.query(readFileSync(path.join(import.meta.dirname, '..', 'demo', 'legacy-warehouse', 'schema.sql'), 'utf8'));
await db.query(`INSERT INTO stock_levels (sku, warehouse_id, on_hand) SELECT 'SKU-' || i, 'WH-LEGACY', 0 FROM generate_series(1, ${KEYS}) AS i`);
const slot = `swb_bench_${process.pid}`;

const cdc = spawn(process.execPath, spawnArgsOf('bin/switchboard.js', ['cdc'], process.env.BENCH_CDC_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), {
  env: { ...process.env, CDC_DATABASE_URL: db.url, CDC_SLOT: slot, CDC_PUBLICATION: slot, SCHEMA_REGISTRY_URL: registry.url, SWITCHBOARD_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const streaming = new Promise<void>((resolve, reject) => {
  createInterface({ input: cdc.stdout }).on('line', (line) => (line.startsWith('cdc streaming') ? resolve() : undefined));
  cdc.once('exit', (code) => reject(new Error(`switchboard cdc exited ${code}`)));
});
const rssMb = (): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${cdc.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb())), 100);

const writers = await Promise.all(Array.from({ length: WRITERS }, async () => {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  return client;
}));
const probe = writers[0] as pg.Client;
const walLsn = async (client: pg.Client) => parseLsn((await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn() AS lsn')).rows[0].lsn);
const confirmed = async () => parseLsn((await probe.query<{ lsn: string }>('SELECT confirmed_flush_lsn AS lsn FROM pg_replication_slots WHERE slot_name = $1', [slot])).rows[0]?.lsn ?? '0/0');

try {
  await streaming;
  const idleRss = rssMb();

  // Rate: transactions of 100 rows, committed as fast as PostgreSQL takes them.
  const started = performance.now();
  const batches = ROWS / 100;
  await Promise.all(writers.map(async (client, w) => {
    for (let b = w; b < batches; b += WRITERS) {
      const first = (b * 100) % KEYS;
      await client.query('UPDATE stock_levels SET on_hand = on_hand + 1 WHERE sku = ANY($1)', [Array.from({ length: 100 }, (_, i) => `SKU-${((first + i) % KEYS) + 1}`)]);
    }
  }));
  const committed = performance.now();
  const end = await walLsn(probe);
  while ((await confirmed()) < end) await pause(10);
  const acknowledged = performance.now();
  const rate = ROWS / ((acknowledged - started) / 1000);

  // Lag: a steady RATE single-row transactions a second; samples of (time, WAL position) every 100 ms.
  const samples: { at: number; lsn: bigint; confirmedAt?: number }[] = [];
  let writing = true;
  let written = 0;
  const writer = Promise.all(writers.map(async (client, w) => {
    const begun = performance.now();
    for (let i = w; writing; i += WRITERS) {
      const due = begun + (i / RATE) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await pause(wait);
      await client.query('UPDATE stock_levels SET on_hand = on_hand + 1 WHERE sku = $1', [`SKU-${(i % KEYS) + 1}`]);
      written++;
    }
  }));
  const sampling = (async () => {
    const sampler = new pg.Client({ connectionString: db.url });
    await sampler.connect();
    const until = performance.now() + SECONDS * 1000;
    while (performance.now() < until) {
      samples.push({ at: performance.now(), lsn: await walLsn(sampler) });
      await pause(100);
    }
    writing = false;
    await sampler.end();
  })();
  const watching = (async () => {
    for (;;) {
      const position = await confirmed();
      const now = performance.now();
      for (const sample of samples) if (sample.confirmedAt === undefined && sample.lsn <= position) sample.confirmedAt = now;
      if (!writing && samples.every((sample) => sample.confirmedAt !== undefined)) return;
      await pause(10);
    }
  })();
  await sampling;
  await writer;
  await watching;
  const lags = samples.map((sample) => (sample.confirmedAt as number) - sample.at);
  const achieved = written / SECONDS;
  clearInterval(sampler);
  report({
    bench: 'cdc',
    figures: [
      { name: 'rows from commit to Kafka acknowledgement', value: Math.round(rate), unit: 'rows/s', note: `${ROWS} rows in transactions of 100 by ${WRITERS} writers (committed in ${round((committed - started) / 1000)} s); measured at the slot's confirmed LSN` },
      { name: 'lag at a steady load, p50', value: round(percentile([...lags], 50)), unit: 'ms', note: `${Math.round(achieved)} row changes/s (one per transaction, ${WRITERS} writers) for ${SECONDS} s; commit → LSN confirmed after Kafka acknowledged` },
      { name: 'lag at a steady load, p99', value: round(percentile([...lags], 99)), unit: 'ms' },
      { name: 'lag at a steady load, max', value: round(Math.max(...lags)), unit: 'ms' },
      { name: 'switchboard cdc peak RSS', value: round(peakRss), unit: 'MB', note: `${round(idleRss)} MB when streaming began` },
    ],
    peakRssMb: round(peakRss),
  });
} finally {
  clearInterval(sampler);
  cdc.kill('SIGTERM');
  await new Promise((resolve) => cdc.once('exit', resolve));
  await Promise.all(writers.map((client) => client.end()));
  await db.drop();
  await registry.server.stop();
  await admin.delete((await admin.list()).filter((name) => name.startsWith(prefix)));
  await admin.close();
}
