import { z } from 'zod';
import { loadConfig } from '../config/load-config.js';

/** Default port of a worker's `/metrics` and `/healthz` (the OpenTelemetry Prometheus exporter's usual port). */
export const DEFAULT_WORKER_METRICS_PORT = 9464;

const shape = {
  WORKER_METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0, 'must be a port between 0 and 65535 (0: any free port)')
    .max(65535, 'must be a port between 0 and 65535 (0: any free port)')
    .default(DEFAULT_WORKER_METRICS_PORT)
    .describe('port of the worker\'s /metrics and /healthz; each worker on one machine needs its own (0: any free port)'),
  WORKER_METRICS_HOST: z.string().trim().min(1).default('127.0.0.1').describe('interface the worker\'s /metrics listens on, e.g. 0.0.0.0'),
};

/**
 * Where a connector worker serves `/metrics` and `/healthz`: `WORKER_METRICS_PORT` (default
 * 9464) on `WORKER_METRICS_HOST` (default 127.0.0.1). `switchboard worker --metrics-port`
 * overrides the port.
 *
 * @example
 * ```ts
 * loadWorkerMetricsConfig({ WORKER_METRICS_PORT: '9465' }); // { port: 9465, host: '127.0.0.1' }
 * ```
 */
export function loadWorkerMetricsConfig(env: NodeJS.ProcessEnv = process.env): { port: number; host: string } {
  const config = loadConfig('worker metrics', shape, env);
  return { port: config.WORKER_METRICS_PORT, host: config.WORKER_METRICS_HOST };
}
