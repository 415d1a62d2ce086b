/**
 * Observability of every Switchboard process: OpenTelemetry traces (started once per process
 * from the standard OTEL_* variables; spans made where the hub does the work, following the
 * messaging and HTTP semantic conventions) and Prometheus metrics (prom-client, one registry
 * per process, served at `/metrics`). Operators' view: docs/operations.md#metrics-traces-and-alerts.
 */
export { startTracing, flushTracing, stopTracing, type TracedProcess } from './tracing.js';
export { loadTracingConfig, type TracingConfig } from './tracing-config.js';
export { startSpan, startChildSpan, failSpan, SpanKind, type StartedSpan } from './spans.js';
export { contextFromTraceparent, traceparentOf } from './trace-context.js';
export { startCreateSpan, startSendSpan, startProcessSpan, setEventId, type MessageDescription, type ConsumedMessageDescription } from './messaging-spans.js';
export { startHttpClientSpan, endHttpClientSpan } from './http-client-span.js';
export { httpTelemetry, requestTraceparent, UNMATCHED_ROUTE, type HttpTelemetryOptions } from './http-telemetry.js';
export { metricsRegistry, collectProcessMetrics, metricsExposition } from './metrics-registry.js';
export { startMetricsServer, type MetricsServer, type MetricsServerOptions } from './metrics-server.js';
export { loadWorkerMetricsConfig, DEFAULT_WORKER_METRICS_PORT } from './worker-metrics-config.js';
export * from './attributes.js';
