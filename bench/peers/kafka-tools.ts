/**
 * The broker's own ceiling, measured with Kafka's perf tools of the stack's release:
 * `org.apache.kafka.tools.ProducerPerformance` and `ConsumerPerformance`.
 *
 * The classpath is the stack's folder (stack/kafka-artifacts.ts: the broker and its client,
 * the very jars the local broker runs) plus the `kafka-tools` jar of the same version, which
 * the broker artifact does not bring; it is fetched from Maven Central once into
 * `<switchboard cache>/peers/kafka-tools-<version>/` (no transitive dependencies: the two
 * tools need only what the stack's folder holds).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, ensureKafkaLibs } from '../../stack/kafka-artifacts.js';
import { KAFKA_VERSION } from '../../stack/kafka-version.js';

/** The classpath of the tools: the kafka-tools jar, then the stack's jars. */
export function ensureKafkaTools(progress: (line: string) => void = () => {}, env: NodeJS.ProcessEnv = process.env): string {
  const libs = ensureKafkaLibs(progress, env);
  const dir = join(cacheRoot(env), 'peers', `kafka-tools-${KAFKA_VERSION}`);
  const jar = join(dir, `kafka-tools-${KAFKA_VERSION}.jar`);
  if (!existsSync(jar)) {
    progress(`Fetching org.apache.kafka:kafka-tools:${KAFKA_VERSION} from Maven Central into ${dir} (once) ...`);
    mkdirSync(dir, { recursive: true });
    const result = spawnSync(
      'mvn',
      ['-q', '-B', 'dependency:copy', `-Dartifact=org.apache.kafka:kafka-tools:${KAFKA_VERSION}`, `-DoutputDirectory=${dir}`],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    writeFileSync(join(dir, 'mvn.log'), `${result.stdout ?? ''}${result.stderr ?? ''}`);
    if (result.error || result.status !== 0 || !existsSync(jar)) {
      throw new Error(`Maven could not fetch kafka-tools ${KAFKA_VERSION} (exit ${result.status ?? 'none'}); see ${join(dir, 'mvn.log')}`);
    }
  }
  return `${jar}:${join(libs, '*')}`;
}

/** Runs one tool class to its end; resolves with its stdout, rejects with its stderr's tail. */
function runTool(classpath: string, mainClass: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-Xms128m', '-Xmx512m', '-cp', classpath, mainClass, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${mainClass} exited ${code}:\n${stderr.trim().split('\n').slice(-10).join('\n')}`));
    });
  });
}

/** What ProducerPerformance printed last. */
export interface ProducerCeiling {
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
  readonly avgLatencyMs: number;
  readonly p99LatencyMs: number;
}

/** Parses the summary line, e.g. `200000 records sent, 52356.02 records/sec (14.98 MB/sec), 743.84 ms avg latency, ... 1197 ms 99th, ...`. */
export function parseProducerPerformance(stdout: string): ProducerCeiling {
  const line = stdout.trim().split('\n').reverse().find((l) => /records sent, .* ms 99th/.test(l));
  const match = line && /records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency.* ([\d.]+) ms 99th,/.exec(line);
  if (!match) throw new Error(`no summary line in ProducerPerformance's output:\n${stdout}`);
  return { recordsPerSecond: Number(match[1]), mbPerSecond: Number(match[2]), avgLatencyMs: Number(match[3]), p99LatencyMs: Number(match[4]) };
}

/** Produces `records` records of `recordSize` bytes to `topic` as fast as the broker takes them (acks=all). */
export async function producerCeiling(classpath: string, bootstrap: string, topic: string, records: number, recordSize: number): Promise<ProducerCeiling> {
  const stdout = await runTool(classpath, 'org.apache.kafka.tools.ProducerPerformance', [
    '--topic', topic, '--num-records', String(records), '--record-size', String(recordSize), '--throughput', '-1',
    '--producer-props', `bootstrap.servers=${bootstrap}`, 'acks=all',
  ]);
  return parseProducerPerformance(stdout);
}

/** ConsumerPerformance's figures: overall (including the group join) and while fetching. */
export interface ConsumerCeiling {
  readonly recordsPerSecond: number;
  readonly fetchRecordsPerSecond: number;
  readonly mbPerSecond: number;
  readonly rebalanceMs: number;
}

/** Parses the header and data lines (`start.time, end.time, ..., nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec`). */
export function parseConsumerPerformance(stdout: string): ConsumerCeiling {
  const lines = stdout.trim().split('\n');
  const headerAt = lines.findIndex((l) => l.includes('nMsg.sec'));
  if (headerAt < 0 || !lines[headerAt + 1]) throw new Error(`no figures in ConsumerPerformance's output:\n${stdout}`);
  const names = lines[headerAt].split(',').map((s) => s.trim());
  const values = lines[headerAt + 1].split(',').map((s) => s.trim());
  const get = (name: string): number => {
    const value = Number(values[names.indexOf(name)]);
    if (!Number.isFinite(value)) throw new Error(`ConsumerPerformance printed no ${name}:\n${stdout}`);
    return value;
  };
  return { recordsPerSecond: get('nMsg.sec'), fetchRecordsPerSecond: get('fetch.nMsg.sec'), mbPerSecond: get('MB.sec'), rebalanceMs: get('rebalance.time.ms') };
}

/** Consumes `records` records of `topic` from the start with a new group. */
export async function consumerCeiling(classpath: string, bootstrap: string, topic: string, records: number, group: string): Promise<ConsumerCeiling> {
  const stdout = await runTool(classpath, 'org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server', bootstrap, '--topic', topic, '--messages', String(records), '--group', group, '--timeout', '30000',
  ]);
  return parseConsumerPerformance(stdout);
}

