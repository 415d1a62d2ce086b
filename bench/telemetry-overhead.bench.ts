/**
 * What observability costs the runtime: bench/connector-throughput.bench.ts run twice in fresh
 * processes, with telemetry off (no OTEL_* variables: no SDK, no-op spans; counters are still
 * counted, they cannot be turned off) and on (spans exported over OTLP/HTTP to a local receiver
 * that accepts and drops them, `/metrics` scraped every 2 s), and the rates divided. Goal: on ÷ off
 * ≥ 0.9 for both connector kinds. Peak RSS of each run beside its rate. The runs alternate
 * off, on, on, off (BENCH_ROUNDS pairs, default 2) and the means are divided, so a machine
 * getting busier or quieter during the bench does not favour one side.
 *
 * Beside the rates, the CPU the worker's process spent per event (user + system) both ways: on a
 * shared machine the rates follow the other work running, CPU per event much less, so its ratio
 * off ÷ on is the steadier measure of what telemetry adds. Only the two connector runs the
 * ratios need are made (BENCH_CONNECTOR_RUNS=topic,http unless set).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startOtlpReceiver } from '../tests/kit/otlp-receiver.js';
import { report, round, type BenchReport, type Figure } from './support/measure.js';

const root = path.resolve(import.meta.dirname, '..');

function runThroughput(env: NodeJS.ProcessEnv): Promise<BenchReport> {
  return new Promise((resolve, reject) => {
    const runs = process.env.BENCH_CONNECTOR_RUNS ?? 'topic,http';
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/connector-throughput.bench.ts'], { cwd: root, env: { ...process.env, BENCH_CONNECTOR_RUNS: runs, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_REPORT '));
      if (code !== 0 || !line) reject(new Error(`connector-throughput (${env.BENCH_TELEMETRY}) failed (exit ${code})`));
      else resolve(JSON.parse(line.slice('BENCH_REPORT '.length)) as BenchReport);
    });
  });
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const rate = (result: BenchReport, name: string): number => result.figures.find((figure) => figure.name === name)?.value ?? NaN;
const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

const receiver = await startOtlpReceiver({ keep: false });
try {
  const off: BenchReport[] = [];
  const on: BenchReport[] = [];
  const runOff = async () => off.push(await runThroughput({ BENCH_TELEMETRY: 'off' }));
  const runOn = async () => on.push(await runThroughput({ BENCH_TELEMETRY: 'on', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '1000' }));
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      await runOff();
      await runOn();
    } else {
      await runOn();
      await runOff();
    }
  }
  const peak = (runs: BenchReport[]) => Math.max(...runs.map((run) => run.peakRssMb));
  const figures: Figure[] = [];
  for (const kind of ['topic→topic', 'topic→HTTP']) {
    const name = `connector ${kind}`;
    const offRates = off.map((run) => rate(run, name));
    const onRates = on.map((run) => rate(run, name));
    const offCpu = off.map((run) => rate(run, `CPU per event, ${name}`));
    const onCpu = on.map((run) => rate(run, `CPU per event, ${name}`));
    figures.push(
      { name: `${name}, telemetry off`, value: Math.round(mean(offRates)), unit: 'events/s', note: `mean of ${offRates.join(', ')}; peak RSS ${peak(off)} MB` },
      { name: `${name}, tracing + metrics on`, value: Math.round(mean(onRates)), unit: 'events/s', note: `mean of ${onRates.join(', ')}; peak RSS ${peak(on)} MB; spans to a local no-op OTLP receiver, /metrics scraped every 2 s` },
      { name: `ratio ${kind} on ÷ off`, value: round(mean(onRates) / mean(offRates)), unit: '×', note: 'goal ≥ 0.9' },
      { name: `CPU per event ${kind}, off → on`, value: Math.round(mean(onCpu)), unit: 'µs', note: `off ${Math.round(mean(offCpu))} µs (${offCpu.join(', ')}), on ${onCpu.join(', ')}: the worker process's user + system CPU ÷ events` },
      { name: `ratio ${kind} CPU per event off ÷ on`, value: round(mean(offCpu) / mean(onCpu)), unit: '×', note: 'the load-steady counterpart of the rate ratio' },
    );
  }
  figures.push({ name: 'OTLP export requests received', value: receiver.requests(), unit: 'requests' });
  report({ bench: 'telemetry-overhead', figures, peakRssMb: Math.max(peak(off), peak(on)) });
} finally {
  await receiver.close();
}
