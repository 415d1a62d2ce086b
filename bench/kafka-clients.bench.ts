/**
 * Kafka clients, bare, on the same broker with the same records (issue 10, item 5): kafkajs
 * (the project's client, behind hub/bus) against `@platformatic/kafka` (pure JavaScript) and
 * `@confluentinc/kafka-javascript` (librdkafka). The two candidates are installed into the
 * cache on first use, not into the project (bench/peers/kafka-clients.ts says what, and what a
 * failed native build needs); a client that cannot be installed is reported as a note, and the
 * others are measured.
 *
 * Each round runs one client in its own process (bench/peers/run-kafka-client.ts: warm-up, then
 * produce, consume and consume→produce passthrough of BENCH_CLIENT_RECORDS records, default
 * 100 000, of ~300 B with the CloudEvents headers, 512 keys, 6 partitions). The rounds alternate
 * A B C C B A so that the load of this shared machine favours no client; a client's figure is
 * the mean of its two rounds, its peak RSS the larger. CPU per record is the round process's
 * CPU (user + system, every thread: librdkafka works in threads of its own) over the records.
 * The load average at the start and the end is reported beside them. BENCH_CLIENTS (comma-
 * separated: platformatic, confluent) limits the candidates.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Bus, loadBusConfig } from '../hub/bus/index.js';
import { createLogger } from '../hub/log/logger.js';
import { CANDIDATE_CLIENTS, ensureKafkaClient } from './peers/kafka-clients.js';
import type { ClientRound, PhaseResult } from './peers/run-kafka-client.js';
import { report, round, type Figure } from './support/measure.js';

const RECORDS = Number(process.env.BENCH_CLIENT_RECORDS ?? 100_000);
/** BENCH_CLIENTS=platformatic measures kafkajs and that one only; default: both candidates. */
const ONLY = process.env.BENCH_CLIENTS?.split(',').map((c) => c.trim());
const PHASES = ['produce', 'consume', 'passthrough'] as const;
const logger = createLogger('bench', { level: 'warn' });
const progress = (line: string) => process.stderr.write(`kafka-clients: ${line}\n`);
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

const figures: Figure[] = [];
const clients = ['kafkajs'];
for (const candidate of CANDIDATE_CLIENTS.filter((c) => !ONLY || ONLY.includes(c.name))) {
  try {
    ensureKafkaClient(candidate, progress);
    clients.push(candidate.name);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    progress(message);
    figures.push({ name: `${candidate.pkg}@${candidate.version} not measured`, value: 0, unit: '', note: message.replaceAll('|', '/') });
  }
}

const order = [...clients, ...[...clients].reverse()];
const run = randomUUID().slice(0, 8);
const prefixes = order.map((client, i) => `bench.${run}.clients.${i}-${client}`);
const topics = prefixes.flatMap((prefix) => ['warm', 'in', 'out'].map((suffix) => `${prefix}.${suffix}`));
const bus = new Bus(loadBusConfig(), logger, 'bench');
const admin = bus.admin();
await admin.connect();
await admin.create(topics.map((name) => ({ name, partitions: 6, replicationFactor: 1, configs: {} })));
const loadBefore = load();
const rounds: ClientRound[] = [];
/** Records per partition of each client's produce phase, e.g. `16797/16406/...`. */
const layouts = new Map<string, string>();
try {
  for (const [i, client] of order.entries()) {
    if (!clients.includes(client)) continue; // a candidate whose earlier round failed
    progress(`round ${i + 1}/${order.length}: ${client} (load ${load()})`);
    const result = spawnSync('node', ['--import', 'tsx', 'bench/peers/run-kafka-client.ts', client, prefixes[i], String(RECORDS)], {
      cwd: `${import.meta.dirname}/..`, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60_000,
    });
    const line = result.stdout.split('\n').find((l) => l.startsWith('CLIENT_ROUND '));
    if (line && result.status === 0) {
      rounds.push(JSON.parse(line.slice('CLIENT_ROUND '.length)) as ClientRound);
      // Same records, same keys: a Java-compatible partitioner puts as many on each partition as kafkajs does.
      layouts.set(client, (await admin.topicOffsets(`${prefixes[i]}.in`)).sort((a, b) => a.partition - b.partition).map((p) => Number(p.high)).join('/'));
      continue;
    }
    const failure = `round ${i + 1} of ${client} failed (exit ${result.status ?? result.signal}); its output is above`;
    if (client === 'kafkajs') throw new Error(failure);
    // A candidate that fails is a finding, not a failed bench run.
    progress(failure);
    figures.push({ name: `${client} not measured`, value: 0, unit: '', note: failure });
    clients.splice(clients.indexOf(client), 1);
    rounds.splice(0, rounds.length, ...rounds.filter((r) => r.client !== client));
  }
} finally {
  await admin.delete(topics);
  await admin.close();
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const summary = (client: string, pick: (r: ClientRound) => PhaseResult) => {
  const own = rounds.filter((r) => r.client === client);
  return { rate: mean(own.map((r) => pick(r).recordsPerSecond)), cpu: mean(own.map((r) => pick(r).cpuMicrosPerRecord)), spread: own.map((r) => pick(r).recordsPerSecond) };
};
for (const client of clients) {
  const own = rounds.filter((r) => r.client === client);
  const label = own[0].label;
  for (const phase of PHASES) {
    const s = summary(client, (r) => r[phase]);
    figures.push({ name: `${label}: ${phase}`, value: Math.round(s.rate), unit: 'records/s', note: `rounds ${s.spread.join(', ')}` });
    figures.push({ name: `${label}: ${phase} CPU`, value: round(s.cpu), unit: 'µs/record', note: 'process CPU, all threads' });
  }
  figures.push({ name: `${label}: peak RSS`, value: Math.max(...own.map((r) => r.peakRssMb)), unit: 'MB', note: 'the round process, larger of two' });
}
for (const client of clients.filter((c) => c !== 'kafkajs')) {
  for (const phase of PHASES) {
    const base = summary('kafkajs', (r) => r[phase]);
    const own = summary(client, (r) => r[phase]);
    figures.push({ name: `${client} ÷ kafkajs: ${phase} rate`, value: round(own.rate / base.rate), unit: '×' });
    figures.push({ name: `kafkajs ÷ ${client}: ${phase} CPU per record`, value: round(base.cpu / own.cpu), unit: '×', note: 'above 1: the candidate costs less' });
  }
}
for (const client of clients.filter((c) => c !== 'kafkajs')) {
  const same = layouts.get(client) === layouts.get('kafkajs');
  figures.push({ name: `${client}: records per partition as kafkajs's`, value: same ? 1 : 0, unit: same ? 'same' : 'different', note: `${layouts.get(client)} (kafkajs ${layouts.get('kafkajs')})` });
}
figures.push({ name: 'load average (1, 5, 15 min) at start / end', value: os.cpus().length, unit: 'cores', note: `${loadBefore} / ${load()}; order ${order.join(' ')}; ${RECORDS} records per phase` });
report({ bench: 'kafka-clients', figures, peakRssMb: Math.max(...rounds.map((r) => r.peakRssMb)) });
