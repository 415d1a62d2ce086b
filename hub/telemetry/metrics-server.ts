import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectProcessMetrics, metricsExposition } from './metrics-registry.js';

/** A running metrics endpoint. */
export interface MetricsServer {
  /** Base URL, e.g. `http://127.0.0.1:9464`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Where the endpoint listens, and what `/healthz` reports. */
export interface MetricsServerOptions {
  readonly host: string;
  /** 0 picks a free port (read it back from `port`). */
  readonly port: number;
  /** Process name in the `/healthz` answer. */
  readonly name: string;
  /** Extra fields of the `/healthz` answer (e.g. each connector's state). */
  readonly health?: () => Record<string, unknown>;
}

/**
 * A small HTTP server for a process that has no HTTP app of its own (the connector worker):
 * `GET /metrics` (Prometheus text format, default process metrics included) and
 * `GET /healthz` (`{"status":"ok",...}` while the process runs). Anything else is 404.
 *
 * @example
 * ```ts
 * const server = await startMetricsServer({ host: '127.0.0.1', port: 9464, name: 'worker' });
 * console.log(`${server.url}/metrics`);
 * await server.close();
 * ```
 * @throws the listen error (EADDRINUSE: another process holds the port).
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  collectProcessMetrics();
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      metricsExposition().then(
        ({ contentType, body }) => response.writeHead(200, { 'content-type': contentType }).end(body),
        (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${error instanceof Error ? error.message : String(error)}\n`),
      );
      return;
    }
    if (path === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', process: options.name, ...options.health?.() }));
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /healthz\n');
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
