/**
 * Start-up time, resident size and idle CPU of each Switchboard process, run as `switchboard up`
 * runs them (`node --max-semi-space-size=2 bin/switchboard.js <command>`), once from the
 * compiled build (dist/, what the bin runs in production) and once from the TypeScript sources
 * through tsx (SWITCHBOARD_FROM_SOURCE=1, what development and the tests run):
 *
 *  - start-up: from spawning the process to its being ready (the registry answering
 *    `GET /subjects`, a service `GET /readyz`, the worker printing `worker running`);
 *  - RSS when ready, and after BENCH_STARTUP_IDLE_S seconds idle (default 20);
 *  - CPU while idle over that window, in % of one core (/proc/<pid>/stat): what a worker with
 *    every connector costs when nothing flows (goal ≤ 2 %).
 *
 * Each process runs alone against the local stack on prefixed topics (its own registry topic,
 * databases in a temporary folder). Builds dist/ first when it is missing or older than the
 * sources (`npm run build`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Bus, loadBusConfig } from '../hub/bus/index.js';
import { createLogger } from '../hub/log/logger.js';
import { spawnArgsOf, tunedEnv } from '../hub/supervisor/process-tuning.js';
import { applyTopics } from '../topics/provision.js';
import { SYSTEM_NAMES, systemVariables } from '../catalogue/index.js';
import { freePort } from '../tests/kit/ports.js';
import { uniquePrefix } from '../tests/kit/isolation.js';
import { processRssMb, report, round, type Figure } from './support/measure.js';
import { cpuSecondsOf, ensureBuild, stopProcess } from './support/processes.js';

const root = path.resolve(import.meta.dirname, '..');
const IDLE_S = Number(process.env.BENCH_STARTUP_IDLE_S ?? 20);
/** BENCH_CPU_PROF_DIR: write a CPU profile of every measured process there (`--cpu-prof`), to see what an idle process spends its CPU on. */
const PROFILE_FLAGS = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
const logger = createLogger('bench', { level: 'warn' });

interface Started {
  readonly child: ChildProcess;
  readonly readyMs: number;
}

/** Spawns `switchboard <args>` and resolves once `ready` says so (polled every 50 ms) or the line appears. */
async function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: { url?: string; line?: RegExp }): Promise<Started> {
  const started = performance.now();
  const child = spawn(process.execPath, spawnArgsOf('bin/switchboard.js', args, PROFILE_FLAGS), { cwd: root, env: tunedEnv(args, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let sawLine = false;
  let output = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-4000);
    if (ready.line?.test(output)) sawLine = true;
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`switchboard ${args.join(' ')} exited ${child.exitCode}:\n${output}`);
    if (sawLine) break;
    if (ready.url && (await fetch(ready.url).then((answer) => answer.ok, () => false))) break;
    if (Date.now() > deadline) throw new Error(`switchboard ${args.join(' ')} not ready after 120 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, readyMs: performance.now() - started };
}

/** One process: ready time, RSS at ready and after the idle window, idle CPU %. */
async function measure(args: string[], env: NodeJS.ProcessEnv, ready: { url?: string; line?: RegExp }) {
  const { child, readyMs } = await startProcess(args, env, ready);
  const pid = child.pid as number;
  const readyRss = processRssMb(pid) ?? NaN;
  // A few seconds for what follows start-up (first status report, group joins) before the idle window.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const cpuBefore = cpuSecondsOf(pid);
  const windowStart = performance.now();
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, processRssMb(pid) ?? 0)), 500);
  await new Promise((resolve) => setTimeout(resolve, IDLE_S * 1000));
  clearInterval(sampler);
  const idleCpu = ((cpuSecondsOf(pid) - cpuBefore) / ((performance.now() - windowStart) / 1000)) * 100;
  const idleRss = processRssMb(pid) ?? NaN;
  await stopProcess(child, 20_000);
  return { readyMs, readyRss, idleRss, peak: Math.max(peak, idleRss), idleCpu };
}

ensureBuild(root, (line) => process.stderr.write(`startup: ${line}\n`));
const prefix = uniquePrefix('start');
const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-startup-'));
const admin = new Bus(loadBusConfig(), logger).admin();
await admin.connect();
await applyTopics(admin, { replicationFactor: 1, minInsyncReplicas: 1, prefix });
const figures: Figure[] = [];
let peakOfAll = 0;
try {
  const registryPort = await freePort();
  const registryUrl = `http://127.0.0.1:${registryPort}`;
  const base: NodeJS.ProcessEnv = { ...process.env, SWITCHBOARD_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn', SCHEMA_REGISTRY_TOPIC: `${prefix}_schemas` };
  for (const mode of ['dist', 'source'] as const) {
    const modeEnv: NodeJS.ProcessEnv = { ...base, SWITCHBOARD_FROM_SOURCE: mode === 'source' ? '1' : '0' };
    const label = mode === 'dist' ? 'compiled (dist/)' : 'sources (tsx)';
    const row = (what: string, result: Awaited<ReturnType<typeof measure>>, note = '') => {
      peakOfAll = Math.max(peakOfAll, result.peak);
      figures.push(
        { name: `${what}, ${label}: start-up`, value: Math.round(result.readyMs), unit: 'ms', note },
        { name: `${what}, ${label}: RSS ready / idle`, value: round(result.readyRss), unit: 'MB', note: `${round(result.idleRss)} MB after ${IDLE_S} s idle` },
      );
      return result;
    };
    // The registry stays up for the services and the worker of this mode, which need it.
    const registry = await startProcess(['registry'], { ...modeEnv, SCHEMA_REGISTRY_PORT: String(registryPort), SCHEMA_REGISTRY_HOST: '127.0.0.1' }, { url: `${registryUrl}/subjects` });
    row('registry', { readyMs: registry.readyMs, readyRss: processRssMb(registry.child.pid as number) ?? NaN, idleRss: processRssMb(registry.child.pid as number) ?? NaN, peak: 0, idleCpu: NaN });
    try {
      const serviceEnv: NodeJS.ProcessEnv = { ...modeEnv, SCHEMA_REGISTRY_URL: registryUrl };
      for (const name of SYSTEM_NAMES) {
        const port = await freePort();
        const variables = systemVariables(name);
        const env = { ...serviceEnv, [variables.port]: String(port), [variables.dbPath]: path.join(dir, `${mode}-${name}.db`) };
        row(`${name.toUpperCase()} service`, await measure(['service', name], env, { url: `http://127.0.0.1:${port}/readyz` }), 'limit 120 MB');
      }
      const metricsPort = await freePort();
      const worker = row('worker, all connectors', await measure(['worker', '--metrics-port', String(metricsPort)], serviceEnv, { line: /worker running/ }), 'every registered connector, nothing flowing');
      figures.push({ name: `worker idle CPU, ${label}`, value: round(worker.idleCpu, 2), unit: '% of a core', note: `mean over ${IDLE_S} s with nothing flowing; goal ≤ 2 %` });
    } finally {
      await stopProcess(registry.child, 20_000);
    }
  }
  report({ bench: 'startup', figures, peakRssMb: round(peakOfAll) });
} finally {
  await admin.delete((await admin.list()).filter((name) => name.startsWith(prefix))).catch(() => undefined);
  await admin.close();
  rmSync(dir, { recursive: true, force: true });
}
