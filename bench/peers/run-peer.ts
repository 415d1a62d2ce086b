/**
 * Runs one Redpanda Connect pipeline as its own process until its output has seen every
 * record, and measures its peak resident set (VmHWM of /proc/<pid>/status, the kernel's own
 * high-water mark). The rate is the caller's to take from the output itself (the records'
 * timestamps, the target's clock): polling the output is too coarse for a run that lasts a
 * few hundred milliseconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineConfig } from './pipelines.js';

/** What one run measured. */
export interface PeerRun {
  readonly peakRssMb: number;
}

export interface PeerRunOptions {
  readonly binary: string;
  readonly name: string;
  readonly config: PipelineConfig;
  /** Where the config and the process's output are written (kept for a look after the run). */
  readonly dir: string;
  readonly records: number;
  /** How many records the output has seen so far (end offsets, a target's counter). */
  readonly observe: () => Promise<number> | number;
  readonly pollMs?: number;
  readonly timeoutMs?: number;
}

/** The kernel's peak RSS of `pid` in MB (VmHWM), or undefined once the process is gone. */
export function peakRssMbOf(pid: number): number | undefined {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Math.round((Number(kb[1]) / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited(child);
  clearTimeout(killer);
}

/**
 * Starts the pipeline, polls `observe` until it reaches `records`, stops the process and
 * returns its peak RSS. Throws when the process exits early or the output does not reach
 * `records` in time.
 */
export async function runPeer(options: PeerRunOptions): Promise<PeerRun> {
  const configFile = join(options.dir, `${options.name}.yaml`);
  const logFile = join(options.dir, `${options.name}.log`);
  writeFileSync(configFile, JSON.stringify(options.config, null, 2) + '\n');
  const log = createWriteStream(logFile);
  const child = spawn(options.binary, ['run', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const pid = child.pid as number;
  let peak = 0;
  let count = 0;
  const pollMs = options.pollMs ?? 50;
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${options.name}: Redpanda Connect exited (${child.exitCode ?? child.signalCode}) after ${count} of ${options.records} records; see ${logFile}`);
      }
      peak = Math.max(peak, peakRssMbOf(pid) ?? 0);
      count = await options.observe();
      if (count >= options.records) break;
      if (Date.now() > deadline) throw new Error(`${options.name}: ${count} of ${options.records} records after ${options.timeoutMs ?? 180_000} ms; see ${logFile}`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    peak = Math.max(peak, peakRssMbOf(pid) ?? 0);
  } finally {
    await stop(child);
    log.end();
  }
  return { peakRssMb: peak };
}
