import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Histogram } from 'prom-client';
import {
  ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH, ATTR_URL_SCHEME,
} from './attributes.js';
import { collectProcessMetrics, metricsExposition, metricsRegistry } from './metrics-registry.js';
import { SpanKind, failSpan, startChildSpan, type StartedSpan } from './spans.js';

/** Route label of requests no route matched (404s): one series, whatever the path was. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** Operational routes that get no span: scraped and probed every few seconds, they would bury the traces. */
const UNTRACED = new Set(['/metrics', '/healthz', '/readyz', '/openapi.json']);

const requestDuration = new Histogram({
  name: 'http_server_request_duration_seconds',
  help: 'Duration of HTTP requests served, by method, route template and status code.',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

const serverSpans = new WeakMap<FastifyRequest, StartedSpan>();

/**
 * The trace context a request's work belongs to: its SERVER span's `traceparent` (the parent of
 * the outbox events the request writes), else the request's own `traceparent` header (an app
 * without the plugin), else null.
 *
 * @example
 * ```ts
 * new CommandContext(outbox, { correlationId, causationId, traceparent: requestTraceparent(request) });
 * ```
 */
export function requestTraceparent(request: FastifyRequest): string | null {
  const started = serverSpans.get(request);
  if (started) return started.traceparent;
  const header = request.headers.traceparent;
  return typeof header === 'string' && header.length > 0 ? header : null;
}

/** Options of {@link httpTelemetry}. */
export interface HttpTelemetryOptions {
  /** Serve `GET /metrics` (Prometheus text format) from this app; default true. */
  readonly metricsRoute?: boolean;
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? UNMATCHED_ROUTE;
}

async function plugin(app: FastifyInstance, options: HttpTelemetryOptions): Promise<void> {
  app.addHook('onRequest', async (request) => {
    const route = routeOf(request);
    if (UNTRACED.has(route) || route.startsWith('/docs')) return;
    const matched = route !== UNMATCHED_ROUTE;
    serverSpans.set(request, startChildSpan(matched ? `${request.method} ${route}` : request.method, SpanKind.SERVER, request.headers.traceparent as string | undefined, () => ({
      [ATTR_HTTP_REQUEST_METHOD]: request.method,
      [ATTR_URL_PATH]: request.url.split('?')[0],
      [ATTR_URL_SCHEME]: request.protocol,
      ...(matched ? { [ATTR_HTTP_ROUTE]: route } : {}),
    })));
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = routeOf(request);
    const status = reply.statusCode;
    if (route !== '/metrics') requestDuration.observe({ method: request.method, route, status_code: String(status) }, reply.elapsedTime / 1000);
    const started = serverSpans.get(request);
    if (!started) return;
    serverSpans.delete(request);
    started.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    // HTTP conventions: on a server, only 5xx is an error (a 4xx is the client's).
    if (status >= 500) {
      started.span.setAttribute(ATTR_ERROR_TYPE, String(status));
      failSpan(started.span, String(status));
    }
    started.span.end();
  });

  app.addHook('onRequestAbort', async (request) => {
    const started = serverSpans.get(request);
    if (!started) return;
    serverSpans.delete(request);
    started.span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
    failSpan(started.span, 'client aborted the request');
    started.span.end();
  });

  if (options.metricsRoute !== false) {
    collectProcessMetrics();
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      const { contentType, body } = await metricsExposition();
      return reply.type(contentType).send(body);
    });
  }
}

/**
 * The fastify plugin every Switchboard HTTP app registers (services through `buildServiceApp`,
 * the schema registry, the admin app): a SERVER span per request, child of the request's
 * `traceparent` (HTTP semantic conventions: `http.request.method`, `http.route`,
 * `http.response.status_code`), the histogram `http_server_request_duration_seconds` by
 * method, route template and status code, and `GET /metrics` with the process's metrics
 * (the default process metrics included). It applies to the whole app, not an encapsulated
 * scope, so register it before the routes.
 *
 * @example
 * ```ts
 * const app = fastify();
 * await app.register(httpTelemetry);
 * app.get('/orders/:id', ...); // traced and measured as route "/orders/:id"
 * ```
 */
export const httpTelemetry = Object.assign(plugin, {
  // fastify-plugin's marker: the hooks apply to the app registering it, not to a child scope.
  [Symbol.for('skip-override')]: true,
});
