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
 *
 * A third way, "sampled", is the same as "on" with head sampling as a busy production flow would
 * run it (`OTEL_TRACES_SAMPLER=parentbased_traceidratio`, BENCH_TELEMETRY_SAMPLE_RATIO of the
 * traces, 0.1 unless set): the bench's events arrive without a `traceparent`, so each `process`
 * span starts a trace and the ratio sampler decides for it and for its children, as the CRM's
 * sampler would decide for a whole order's trace. Its rows stand beside the every-span ones, not
 * instead of them.
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
const SAMPLE_RATIO = process.env.BENCH_TELEMETRY_SAMPLE_RATIO ?? '0.1';
const rate = (result: BenchReport, name: string): number => result.figures.find((figure) => figure.name === name)?.value ?? NaN;
const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

const receiver = await startOtlpReceiver({ keep: false });
try {
  const off: BenchReport[] = [];
  const on: BenchReport[] = [];
  const sampled: BenchReport[] = [];
  const traced = { BENCH_TELEMETRY: 'on', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '1000' };
  const runs = [
    async () => off.push(await runThroughput({ BENCH_TELEMETRY: 'off' })),
    async () => on.push(await runThroughput(traced)),
    async () => sampled.push(await runThroughput({ ...traced, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: SAMPLE_RATIO })),
  ];
  // off, on, sampled, then sampled, on, off, ...: drift weighs on each alike.
  for (let i = 0; i < ROUNDS; i++) {
    for (const run of i % 2 === 0 ? runs : [...runs].reverse()) await run();
  }
  const peak = (reports: BenchReport[]) => Math.max(...reports.map((report) => report.peakRssMb));
  const figures: Figure[] = [];
  for (const kind of ['topic→topic', 'topic→HTTP']) {
    const name = `connector ${kind}`;
    const rates = (reports: BenchReport[]) => reports.map((report) => rate(report, name));
    const cpu = (reports: BenchReport[]) => reports.map((report) => rate(report, `CPU per event, ${name}`));
    const offRates = rates(off);
    const offCpu = cpu(off);
    figures.push({ name: `${name}, telemetry off`, value: Math.round(mean(offRates)), unit: 'events/s', note: `mean of ${offRates.join(', ')}; peak RSS ${peak(off)} MB` });
    for (const [way, reports, label, goal] of [
      ['on', on, 'tracing (every span) + metrics on', 'goal ≥ 0.9'],
      ['sampled', sampled, `tracing sampled at ${SAMPLE_RATIO} + metrics on`, 'beside the goal: head sampling, as a busy production flow runs'],
    ] as const) {
      const wayRates = rates(reports);
      const wayCpu = cpu(reports);
      figures.push(
        { name: `${name}, ${label}`, value: Math.round(mean(wayRates)), unit: 'events/s', note: `mean of ${wayRates.join(', ')}; peak RSS ${peak(reports)} MB; spans to a local no-op OTLP receiver, /metrics scraped every 2 s` },
        { name: `ratio ${kind} ${way} ÷ off`, value: round(mean(wayRates) / mean(offRates)), unit: '×', note: goal },
        { name: `CPU per event ${kind}, off → ${way}`, value: Math.round(mean(wayCpu)), unit: 'µs', note: `off ${Math.round(mean(offCpu))} µs (${offCpu.join(', ')}), ${way} ${wayCpu.join(', ')}: the worker process's user + system CPU ÷ events` },
        { name: `ratio ${kind} CPU per event off ÷ ${way}`, value: round(mean(offCpu) / mean(wayCpu)), unit: '×', note: 'the load-steady counterpart of the rate ratio' },
      );
    }
  }
  figures.push({ name: 'OTLP export requests received', value: receiver.requests(), unit: 'requests' });
  report({ bench: 'telemetry-overhead', figures, peakRssMb: Math.max(peak(off), peak(on), peak(sampled)) });
} finally {
  await receiver.close();
}
