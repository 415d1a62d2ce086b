import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The one Prometheus registry of the process: every Switchboard metric registers here (pass
 * `registers: [metricsRegistry]`), and `/metrics` serves it. Its own registry rather than
 * prom-client's global one, so a library that registers metrics globally cannot clash with ours.
 */
export const metricsRegistry = new Registry();

let defaultsCollected = false;

/**
 * Adds prom-client's default process metrics (CPU, resident memory, heap, event-loop lag, GC,
 * open file descriptors) to the registry, once per process.
 */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

/**
 * The text a `/metrics` scrape gets, with its content type.
 *
 * @example
 * ```ts
 * const { contentType, body } = await metricsExposition();
 * reply.type(contentType).send(body);
 * ```
 */
export async function metricsExposition(): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}
