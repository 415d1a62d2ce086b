/**
 * Signed webhooks in: `switchboard webhooks` as its own process (one Node thread), receiving
 * deliveries signed the Standard Webhooks way over 16 keep-alive connections from this
 * process. Each accepted delivery is verified, validated, mapped to an OrderPlaced and
 * committed with `synchronous=FULL` to the SQLite outbox before its 202; the outbox relay
 * publishes to Kafka meanwhile. Reports accepted deliveries per second, latency p50/p99, the
 * process's peak RSS, and how long after the load the last event reached Kafka.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { signDelivery } from '../hub/adapters/webhooks/signature.js';
import { Bus, loadBusConfig } from '../hub/bus/index.js';
import { createLogger } from '../hub/log/logger.js';
import { spawnArgsOf } from '../hub/supervisor/process-tuning.js';
import { applyTopics } from '../topics/provision.js';
import { freePort } from '../tests/kit/ports.js';
import { uniquePrefix } from '../tests/kit/isolation.js';
import { startTestRegistry } from '../tests/kit/outbox-harness.js';
import { percentile, report, round } from './support/measure.js';

const DURATION_MS = Number(process.env.BENCH_WEBHOOKS_MS ?? 15_000);
const CONNECTIONS = 16;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const logger = createLogger('bench', { level: 'warn' });
const prefix = uniquePrefix('hookb');
const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-webhooks-bench-'));
const admin = new Bus(loadBusConfig(), logger).admin();
await admin.connect();
await applyTopics(admin, { replicationFactor: 1, minInsyncReplicas: 1, prefix });
const registry = await startTestRegistry(prefix, logger);
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const webhooks = spawn(process.execPath, spawnArgsOf('bin/switchboard.js', ['webhooks'], process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []), {
  env: {
    ...process.env, WEBHOOKS_PORT: String(port), WEBHOOKS_DB_PATH: path.join(dir, 'webhooks.db'), WEBHOOKS_DIR: path.join(import.meta.dirname, '..', 'tests', 'fixtures', 'webhooks'),
    WEBHOOK_SHOP_SECRET: SECRET, SCHEMA_REGISTRY_URL: registry.url, SWITCHBOARD_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const rssMb = (): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${webhooks.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const pool = new Pool(url, { connections: CONNECTIONS });
let counter = 0;
/** One signed delivery of a new order, as the shop sends it. */
async function deliver(): Promise<number> {
  const number = String(++counter);
  const body = JSON.stringify({
    type: 'order.created',
    data: {
      order_number: number, customer_ref: 'C-1017', items: [{ sku: 'SKU-CHAIR-01', qty: 4 }, { sku: 'SKU-DESK-02', qty: 1 }],
      shipping_address: { street: 'Hafenstraße 12', city: 'Hamburg', zip: '20457', country: 'DE' }, created_at: new Date().toISOString(),
    },
  });
  const headers = { ...signDelivery({ scheme: 'standard-webhooks' }, SECRET, body, { id: `msg_${number}` }), 'content-type': 'application/json' };
  const response = await pool.request({ method: 'POST', path: '/webhooks/shop', headers, body });
  await response.body.dump();
  return response.statusCode;
}

try {
  for (let i = 0; ; i++) {
    if ((await fetch(`${url}/readyz`).catch(() => undefined))?.ok) break;
    if (i > 300) throw new Error('switchboard webhooks did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (let i = 0; i < 200; i++) await deliver(); // warm-up
  let accepted = 0;
  let refused = 0;
  let peakRss = rssMb();
  const latencies: number[] = [];
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb())), 200);
  const deadline = performance.now() + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const status = await deliver();
        latencies.push(performance.now() - started);
        if (status === 202) accepted++;
        else refused++;
      }
    }),
  );
  const loadEnded = performance.now();
  const topic = `${prefix}crm.order.v1`;
  const published = async () => (await admin.topicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  while ((await published()) < counter && performance.now() - loadEnded < 60_000) await new Promise((resolve) => setTimeout(resolve, 50));
  const drained = performance.now() - loadEnded;
  clearInterval(sampler);
  report({
    bench: 'webhooks',
    figures: [
      { name: 'accepted signed deliveries', value: Math.round(accepted / (DURATION_MS / 1000)), unit: 'deliveries/s', note: `${CONNECTIONS} keep-alive connections for ${DURATION_MS / 1000} s; HMAC check, JSON Schema, JSONata mapping, Avro check, SQLite commit (synchronous=FULL) before each 202; ${refused} not 202` },
      { name: 'delivery latency p50', value: round(percentile([...latencies], 50)), unit: 'ms' },
      { name: 'delivery latency p99', value: round(percentile([...latencies], 99)), unit: 'ms' },
      { name: 'last event in Kafka after the load', value: round(drained), unit: 'ms', note: 'the outbox relay publishing meanwhile' },
      { name: 'switchboard webhooks peak RSS', value: round(peakRss), unit: 'MB' },
    ],
    peakRssMb: round(peakRss),
  });
} finally {
  await pool.close();
  webhooks.kill('SIGTERM');
  await new Promise((resolve) => webhooks.once('exit', resolve));
  await registry.server.stop();
  await admin.delete((await admin.list()).filter((name) => name.startsWith(prefix)));
  await admin.close();
  rmSync(dir, { recursive: true, force: true });
}
