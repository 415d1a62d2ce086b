/**
 * Small helpers shared by the benchmarks: peak RSS sampling, percentiles, and the result
 * line each benchmark prints for bench/run.ts to collect.
 */
import { readFileSync } from 'node:fs';

/** One measured figure. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}

/** What one benchmark process reports. */
export interface BenchReport {
  readonly bench: string;
  readonly figures: Figure[];
  /** Highest resident set size seen while the benchmark ran, in MB. */
  readonly peakRssMb: number;
}

/** Samples RSS every few milliseconds until stopped; the peak is what a limit is checked against. */
export class PeakRss {
  private peak = process.memoryUsage.rss();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 20) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }

  stopMb(): number {
    clearInterval(this.timer);
    this.sample();
    return Math.round((this.peak / 1024 / 1024) * 10) / 10;
  }
}

/** VmRSS of another process (a child such as the worker or the console) in MB, or undefined when it is gone. */
export function processRssMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds (user + system) a running process has used, from /proc (Linux; undefined elsewhere).
 * On a shared machine, work per CPU second compares runs where wall-clock rates cannot.
 */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux); the name in field 2 may hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The p-th percentile (0..100) of `values` (sorted in place). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  values.sort((a, b) => a - b);
  const index = Math.min(values.length - 1, Math.max(0, Math.ceil((p / 100) * values.length) - 1));
  return values[index];
}

/** Rounds to a readable number of significant digits. */
export function round(value: number, digits = 3): number {
  return Number(value.toPrecision(digits));
}

/** Prints the report as the last line of stdout, where bench/run.ts looks for it. */
export function report(result: BenchReport): void {
  process.stdout.write(`BENCH_REPORT ${JSON.stringify(result)}\n`);
}
