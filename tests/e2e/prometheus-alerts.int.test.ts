/**
 * Metrics and alerts end to end: the whole system as child processes, a real Prometheus (the
 * project's stack script, on a free port with its own folder) scraping every process's
 * `/metrics` and evaluating the repository's rules, and a poisoned flow that must make the
 * dead-letter alert fire in Prometheus itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { prometheusFiles, startPrometheus, writePrometheusTargets } from '../../stack/index.js';
import { prometheusStopTarget } from '../../stack/prometheus.js';
import { stopTarget } from '../../stack/processes.js';
import { eventually } from '../kit/isolation.js';
import { freePort } from '../kit/ports.js';
import { openSystemBus, type SystemBus } from '../kit/system-bus.js';
import { startSystem, withSystemLog, type RunningSystem } from '../kit/system.js';

jest.setTimeout(300_000);

const CONNECTOR = 'crm-order-to-erp';

interface Target { labels: Record<string, string>; health: string; lastError: string; scrapeUrl: string }
interface Alert { labels: Record<string, string>; state: string; value: string }

let system: RunningSystem;
let bus: SystemBus;
let prometheusUrl: string;
const dir = mkdtempSync(join(tmpdir(), 'swb-alerts-int-'));

async function api<T>(path: string): Promise<T> {
  const answer = (await (await fetch(`${prometheusUrl}${path}`)).json()) as { status: string; data: T };
  if (answer.status !== 'success') throw new Error(`${path}: ${JSON.stringify(answer)}`);
  return answer.data;
}

beforeAll(async () => {
  system = await startSystem({ connectors: ['crm-customer-to-erp', CONNECTOR] });
  bus = await openSystemBus(system);
  const prometheus = await startPrometheus({ dir, port: await freePort() }, () => undefined, []);
  prometheusUrl = prometheus.url;
  // One job per process, as `switchboard up` writes them.
  for (const [job, url] of Object.entries(system.metricsUrls())) writePrometheusTargets(prometheusFiles(dir).targetsDir, job, [new URL(url).host]);
}, 240_000);

afterAll(async () => {
  await stopTarget(prometheusStopTarget(dir));
  await bus?.close();
  await system?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

it('scrapes every process, and fires the dead-letter alert once a poisoned record is dead-lettered', () => withSystemLog(system, async () => {
  const jobs = Object.keys(system.metricsUrls());
  expect(jobs).toEqual(expect.arrayContaining(['registry', 'crm', 'erp', 'scm', 'worker1']));

  // Every process's target is up, and its metrics are there.
  const targets = await eventually(async () => {
    const active = (await api<{ activeTargets: Target[] }>('/api/v1/targets?state=active')).activeTargets.filter((target) => jobs.includes(target.labels.job));
    return active.length === jobs.length && active.every((target) => target.health === 'up') ? active : undefined;
  }, 60_000, `every process's target up (${jobs.join(', ')})`);
  expect(targets.map((target) => target.labels.job).sort()).toEqual([...jobs].sort());
  // The connector's dead-letter counter exists at 0 before anything failed, so increase() sees the first one.
  await eventually(async () => {
    const result = await api<{ result: { value: [number, string] }[] }>(`/api/v1/query?query=${encodeURIComponent(`switchboard_connector_events_dead_lettered_total{connector="${CONNECTOR}",job="worker1"}`)}`);
    return result.result.length === 1 && result.result[0].value[1] === '0' ? true : undefined;
  }, 30_000, 'the dead-letter counter scraped at 0');
  const services = await api<{ result: { metric: Record<string, string> }[] }>(`/api/v1/query?query=${encodeURIComponent('switchboard_outbox_backlog_events')}`);
  expect(services.result.map((sample) => sample.metric.service).sort()).toEqual(['crm', 'erp', 'scm']);
  // The readiness probes the kit made are requests like any other, by route template and status.
  const probes = await api<{ result: { metric: Record<string, string> }[] }>(`/api/v1/query?query=${encodeURIComponent('http_server_request_duration_seconds_count{route="/readyz",status_code="200"} > 0')}`);
  expect(probes.result.map((sample) => sample.metric.job).sort()).toEqual(['crm', 'erp', 'scm']);
  // The default process metrics, from every process.
  const memory = await api<{ result: { metric: Record<string, string> }[] }>(`/api/v1/query?query=${encodeURIComponent('process_resident_memory_bytes')}`);
  expect(memory.result.map((sample) => sample.metric.job)).toEqual(expect.arrayContaining(jobs));
  expect((await api<{ alerts: Alert[] }>('/api/v1/alerts')).alerts.filter((alert) => alert.labels.alertname === 'SwitchboardDeadLetters')).toEqual([]);

  // Poison the order flow: bytes that are not Avro, on the connector's source topic.
  const poisonId = await bus.publishRaw('switchboard.crm.OrderPlaced', `O-ALERT-${Date.now().toString(36)}`, Buffer.from('not an avro record', 'utf8'));
  await eventually(async () => ((await bus.deadLettersOf(CONNECTOR)).some((letter) => letter.eventId === poisonId) ? true : undefined), 60_000, 'the poison record dead-lettered');

  const alert = await eventually(async () => {
    const { alerts } = await api<{ alerts: Alert[] }>('/api/v1/alerts');
    return alerts.find((candidate) => candidate.labels.alertname === 'SwitchboardDeadLetters' && candidate.labels.connector === CONNECTOR && candidate.state === 'firing');
  }, 60_000, 'SwitchboardDeadLetters firing in Prometheus');
  expect(alert.labels).toMatchObject({ alertname: 'SwitchboardDeadLetters', connector: CONNECTOR, job: 'worker1', severity: 'warning' });
  expect(Number(alert.value)).toBeGreaterThan(0);
}));
