import type { ManagedProcess } from './supervisor.js';

/** One process Prometheus scrapes: its job name and `host:port` (the path is /metrics). */
export interface MetricsTarget {
  readonly job: string;
  readonly target: string;
}

/**
 * The Prometheus targets of the processes `switchboard up` starts: every process with a `url`
 * serves `/metrics` at that address (services and the admin app through `buildServiceApp`, the
 * registry through its own app, the worker through its metrics server), named after the process.
 *
 * @example
 * ```ts
 * metricsTargets(systemProcesses()); // [{ job: 'registry', target: '127.0.0.1:8081' }, { job: 'crm', target: '127.0.0.1:3001' }, ...]
 * ```
 */
export function metricsTargets(processes: readonly Pick<ManagedProcess, 'name' | 'url'>[]): MetricsTarget[] {
  return processes.filter((spec) => spec.url !== undefined).map((spec) => ({ job: spec.name, target: new URL(spec.url as string).host }));
}
