/**
 * `npm run bench`: runs each benchmark in its own Node process (so each peak RSS is its
 * own), collects their reports and writes bench/RESULTS.md and bench/results.json.
 * Benchmarks need the local stack; start it first (`npx switchboard stack up`), or let
 * this script start it and stop it again.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchReport } from './support/measure.js';

const root = path.resolve(import.meta.dirname, '..');
/** `npm run bench -- --render` runs nothing: it rewrites RESULTS.md from results.json and COMPARISONS.md (after a merge, or an edit of COMPARISONS.md). */
const renderOnly = process.argv.includes('--render');
const only = process.argv.slice(2).filter((arg) => arg !== '--render');
/** Run by name only: scale-out starts a three-broker cluster of its own and takes many minutes. */
const BY_NAME_ONLY = ['scale-out'];
const BENCHES = ['codec', 'bus-throughput', 'outbox', 'api-write', 'connector-throughput', 'telemetry-overhead', 'peers', 'kafka-clients', 'end-to-end', 'startup', 'admin-api', 'console', 'cdc', 'webhooks', ...BY_NAME_ONLY].filter(
  (name) => !renderOnly && ((only.length === 0 && !BY_NAME_ONLY.includes(name)) || only.includes(name)),
);

function run(command: string, args: string[]): { status: number | null; stdout: string } {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout };
}

const status = renderOnly ? {} : (JSON.parse(run('node', ['bin/switchboard.js', 'stack', 'status', '--json']).stdout || '{}') as { kafka?: { answering?: boolean }; redis?: { answering?: boolean } });
const startedStack = !renderOnly && !(status.kafka?.answering && status.redis?.answering);
if (startedStack && run('node', ['bin/switchboard.js', 'stack', 'up']).status !== 0) {
  throw new Error('could not start the local stack; see the output above');
}

// A partial run (`npm run bench -- codec`) replaces only its own benchmarks' figures.
const resultsFile = path.join(root, 'bench', 'results.json');
const previous = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { at?: string; reports: BenchReport[] }) : undefined;
const earlier = previous?.reports ?? [];
const reports: BenchReport[] = earlier.filter((r) => !BENCHES.includes(r.bench));
/**
 * Benchmarks that failed in this run. The others go on and their figures are written (a whole
 * run takes most of an hour); a failed one keeps its earlier figures, and the run exits non-zero
 * naming it.
 */
const failed: string[] = [];
try {
  for (const bench of BENCHES) {
    process.stderr.write(`bench: ${bench} ...\n`);
    // This invocation's reports so far, in results.json's shape: peers divides connector-throughput's figures by its own.
    process.env.BENCH_RUN_REPORTS = JSON.stringify({ reports: reports.filter((r) => BENCHES.includes(r.bench)) });
    const result = run('node', ['--import', 'tsx', `bench/${bench}.bench.ts`]);
    const line = result.stdout.split('\n').find((l) => l.startsWith('BENCH_REPORT '));
    if (result.status !== 0 || !line) {
      process.stderr.write(`bench: ${bench} failed (exit ${result.status}); its earlier figures are kept\n`);
      failed.push(bench);
      const before = earlier.find((r) => r.bench === bench);
      if (before) reports.push(before);
    } else {
      reports.push(JSON.parse(line.slice('BENCH_REPORT '.length)) as BenchReport);
    }
    reports.sort((a, b) => a.bench.localeCompare(b.bench));
  }
} finally {
  if (startedStack) run('node', ['bin/switchboard.js', 'stack', 'down']);
}

// A render keeps the time of the last run that measured something.
const writtenAt = renderOnly && previous?.at ? previous.at : new Date().toISOString();
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const lines = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` on ${writtenAt} (${machine}).`,
  'Figures are from one run on a shared 2-core machine; compare ratios rather than absolutes.',
  '',
];
for (const r of reports) {
  lines.push(`## ${r.bench}`, '');
  if (failed.includes(r.bench)) lines.push('**Failed in this run: these figures are from an earlier run.**', '');
  lines.push(`Peak RSS: ${r.peakRssMb} MB`, '', '| figure | value | unit | note |', '|---|---:|---|---|');
  for (const f of r.figures) lines.push(`| ${f.name} | ${f.value} | ${f.unit} | ${f.note ?? ''} |`);
  lines.push('');
}
// Before/after comparisons of past changes are written by hand (they need two runs of different
// code); they are kept in bench/COMPARISONS.md and carried into every RESULTS.md.
const comparisons = path.join(root, 'bench', 'COMPARISONS.md');
if (existsSync(comparisons)) lines.push(readFileSync(comparisons, 'utf8').trim(), '');
writeFileSync(path.join(root, 'bench', 'RESULTS.md'), lines.join('\n'));
writeFileSync(resultsFile, JSON.stringify({ machine, at: writtenAt, reports }, null, 2) + '\n');
process.stdout.write(lines.join('\n') + '\n');
if (failed.length > 0) {
  process.stderr.write(`bench: failed: ${failed.join(', ')} (their figures are from an earlier run; rerun them by name, e.g. npm run bench -- ${failed[0]})\n`);
  process.exitCode = 1;
}
