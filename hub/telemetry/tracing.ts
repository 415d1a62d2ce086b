import { createRequire } from 'node:module';
import { DiagLogLevel, ProxyTracerProvider, diag, trace } from '@opentelemetry/api';
import type { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { Logger } from '../log/logger.js';
import { ExplicitContextManager } from './explicit-context-manager.js';
import { setParentBasedSampling } from './spans.js';
import { loadTracingConfig } from './tracing-config.js';

/** The process names traces are grouped by (`service.name`). */
export type TracedProcess = 'crm' | 'erp' | 'scm' | 'schema-registry' | 'worker' | 'console' | (string & {});

let running: { readonly name: string; readonly sdk: NodeSDK } | undefined;

/**
 * The SDK and its exporter, loaded only when tracing starts: with tracing off (no OTEL_*
 * variables, the default) a process would otherwise hold them for nothing, about 28 MB of RSS
 * and 7 MB of heap measured (every service, the worker, the console). Both are CommonJS
 * packages, so `require` loads them synchronously and `startTracing` stays synchronous; the
 * API they register with is the same global the ESM imports see.
 */
function loadSdk(): { NodeSDK: typeof NodeSDK; OTLPTraceExporter: typeof OTLPTraceExporter } {
  const require = createRequire(import.meta.url);
  const { NodeSDK: sdk } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter: exporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  return { NodeSDK: sdk, OTLPTraceExporter: exporter };
}

/**
 * Starts OpenTelemetry tracing for this process, once: later calls (another app built in the
 * same process) do nothing and return the first name. Reads the standard variables through
 * `loadTracingConfig`; with none set, no SDK starts and every span is the API's no-op.
 *
 * The SDK runs without auto-instrumentation, metrics or log export: Switchboard makes its own
 * spans where the work happens (hub/telemetry/spans.ts) and its metrics with prom-client. Its
 * context manager keeps no ambient context across awaits (ExplicitContextManager: contexts are
 * passed explicitly), which spares every promise of the process an async hook.
 *
 * @example
 * ```ts
 * startTracing('worker', logger);
 * // ... on SIGTERM:
 * await stopTracing();
 * ```
 * @returns whether spans are exported.
 */
export function startTracing(name: TracedProcess, logger: Logger, env: NodeJS.ProcessEnv = process.env): boolean {
  if (running) return true;
  const config = loadTracingConfig(env);
  if (!config.enabled) return false;
  const log = logger.child({ component: 'tracing' });
  // The SDK's own complaints (an unreachable collector, a dropped batch) as warnings, not silence.
  diag.setLogger(
    { error: (message) => log.warn(message), warn: (message) => log.warn(message), info: () => undefined, debug: () => undefined, verbose: () => undefined },
    DiagLogLevel.WARN,
  );
  const { NodeSDK, OTLPTraceExporter } = loadSdk();
  const sdk = new NodeSDK({
    serviceName: name,
    contextManager: new ExplicitContextManager(),
    ...(config.exporter === 'otlp-json' ? { traceExporter: new OTLPTraceExporter() } : {}),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  setParentBasedSampling(config.parentBasedSampling);
  running = { name, sdk };
  log.info({ destination: config.destination, sampling: config.sampling }, `tracing: exporting spans of ${name}`);
  return true;
}

/** Exports the spans that wait in the batch now (an app closing in a process that goes on). */
export async function flushTracing(): Promise<void> {
  if (!running) return;
  const provider = trace.getTracerProvider();
  const delegate = provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider;
  await (delegate as { forceFlush?: () => Promise<void> }).forceFlush?.();
}

/** Flushes and shuts the SDK down (process stop). Safe to call when tracing never started. */
export async function stopTracing(): Promise<void> {
  const current = running;
  running = undefined;
  await current?.sdk.shutdown();
}
