/**
 * API write rate: orders placed per second through the CRM's HTTP API, with the CRM running
 * as its own process (`switchboard service crm`, one Node thread: one core) exactly as
 * `switchboard up` runs it, its outbox relay publishing every OrderPlaced to Kafka meanwhile.
 * The load comes from this process over keep-alive connections. Reports the service's peak RSS
 * (limit 150 MB) and the relay's backlog at the end (it keeps up when that is near zero).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { Bus, loadBusConfig } from '../hub/bus/index.js';
import { createLogger } from '../hub/log/logger.js';
import { createRegistryServer } from '../hub/schema/registry/index.js';
import { spawnArgsOf, tunedEnv } from '../hub/supervisor/process-tuning.js';
import { applyTopics } from '../topics/provision.js';
import { freePort } from '../tests/kit/ports.js';
import { uniquePrefix } from '../tests/kit/isolation.js';
import { percentile, report, round } from './support/measure.js';

const DURATION_MS = Number(process.env.BENCH_API_MS ?? 15_000);
const CONNECTIONS = 16;
const logger = createLogger('bench', { level: 'warn' });
const prefix = uniquePrefix('api');
const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-api-bench-'));
const admin = new Bus(loadBusConfig(), logger).admin();
await admin.connect();
await applyTopics(admin, { replicationFactor: 1, minInsyncReplicas: 1, prefix });
const registry = createRegistryServer({ port: 0, host: '127.0.0.1', topic: `${prefix}_schemas`, logger });
const registryUrl = await registry.start();
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const CRM_ARGS = ['service', 'crm'];
const crm = spawn(process.execPath, spawnArgsOf('bin/switchboard.js', CRM_ARGS), {
  env: tunedEnv(CRM_ARGS, { ...process.env, CRM_PORT: String(port), CRM_DB_PATH: path.join(dir, 'crm.db'), SCHEMA_REGISTRY_URL: registryUrl, SWITCHBOARD_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' }),
  stdio: ['ignore', 'ignore', 'inherit'],
});

function rssMb(): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${crm.pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

const pool = new Pool(url, { connections: CONNECTIONS });
async function post(pathName: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await pool.request({ method: 'POST', path: pathName, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.statusCode, json: await response.body.json() };
}

try {
  for (let i = 0; ; i++) {
    if ((await fetch(`${url}/readyz`).catch(() => undefined))?.ok) break;
    if (i > 300) throw new Error('the CRM did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const customer = await post('/customers', {
    name: 'Bench Kunde GmbH', email: 'bench@example.com', segment: 'ENTERPRISE',
    billingAddress: { line1: 'Hafenstraße 12', city: 'Hamburg', postalCode: '20457', country: 'DE' },
  });
  const customerId = (customer.json as { id: string }).id;
  const order = { customerId, lines: [{ sku: 'SKU-CHAIR-01', quantity: 4 }, { sku: 'SKU-DESK-02', quantity: 1 }] };
  for (let i = 0; i < 200; i++) await post('/orders', order); // warm-up

  let placed = 0;
  let failed = 0;
  let peakRss = rssMb();
  const latencies: number[] = [];
  const deadline = performance.now() + DURATION_MS;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb())), 200);
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const { status } = await post('/orders', order);
        latencies.push(performance.now() - started);
        if (status === 201) placed++;
        else failed++;
      }
    }),
  );
  clearInterval(sampler);
  const rate = placed / (DURATION_MS / 1000);
  report({
    bench: 'api-write',
    figures: [
      { name: 'CRM POST /orders', value: Math.round(rate), unit: 'orders/s', note: `${CONNECTIONS} keep-alive connections for ${DURATION_MS / 1000} s; one service process (one core), outbox relay publishing meanwhile; ${failed} non-201` },
      { name: 'POST /orders latency p50', value: round(percentile(latencies, 50)), unit: 'ms' },
      { name: 'POST /orders latency p99', value: round(percentile(latencies, 99)), unit: 'ms' },
      { name: 'CRM service peak RSS', value: round(peakRss), unit: 'MB', note: 'limit 150 MB' },
    ],
    peakRssMb: round(peakRss),
  });
} finally {
  await pool.close();
  crm.kill('SIGTERM');
  await new Promise((resolve) => crm.once('exit', resolve));
  await registry.stop();
  await admin.delete((await admin.list()).filter((name) => name.startsWith(prefix)));
  await admin.close();
  rmSync(dir, { recursive: true, force: true });
}
