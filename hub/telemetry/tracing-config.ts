import { z } from 'zod';
import { flag, loadConfig } from '../config/load-config.js';

const EXPORTERS = ['otlp', 'console', 'zipkin', 'none'] as const;
const PROTOCOLS = ['http/json', 'http/protobuf', 'grpc'] as const;

const url = z.string().trim().url('must be a URL such as http://127.0.0.1:4318').optional();

/** The standard OpenTelemetry variables Switchboard reads to decide whether and where to trace. */
const shape = {
  OTEL_EXPORTER_OTLP_ENDPOINT: url.describe('base URL of an OTLP/HTTP receiver; spans go to <url>/v1/traces'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url.describe('full URL spans are posted to, e.g. http://127.0.0.1:4318/v1/traces'),
  OTEL_TRACES_EXPORTER: z
    .string()
    .trim()
    .optional()
    .refine((value) => value === undefined || value.split(',').every((item) => (EXPORTERS as readonly string[]).includes(item.trim())), {
      message: `must be a comma-separated list of ${EXPORTERS.join(', ')}`,
    })
    .describe(`which exporters to use: ${EXPORTERS.join(', ')}`),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.enum(PROTOCOLS).optional().describe(`OTLP protocol of spans: ${PROTOCOLS.join(', ')}`),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(PROTOCOLS).optional().describe(`OTLP protocol: ${PROTOCOLS.join(', ')}`),
  OTEL_SDK_DISABLED: flag.default(false).describe('true turns tracing off whatever else is set'),
};

/** Whether this process traces, and how its spans leave it. */
export type TracingConfig =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      /**
       * `otlp-json`: Switchboard's own choice, OTLP over HTTP with JSON bodies
       * (`@opentelemetry/exporter-trace-otlp-http`), which reads the endpoint variables itself.
       * `from-env`: another protocol or exporter was asked for (`http/protobuf`, `grpc`,
       * `console`, `zipkin`): the SDK builds it from the same standard variables.
       */
      readonly exporter: 'otlp-json' | 'from-env';
      /** Where spans go, for the start-up log line. */
      readonly destination: string;
    };

/**
 * Reads the standard OpenTelemetry variables. Tracing is on only when an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) or an exporter
 * (`OTEL_TRACES_EXPORTER`, other than `none`) is set, and `OTEL_SDK_DISABLED` is not true.
 * Off, the SDK is not started at all and spans are the API's no-ops.
 *
 * @example
 * ```ts
 * loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' });
 * // { enabled: true, exporter: 'otlp-json', destination: 'http://127.0.0.1:4318/v1/traces' }
 * loadTracingConfig({}); // { enabled: false }
 * ```
 */
export function loadTracingConfig(env: NodeJS.ProcessEnv = process.env): TracingConfig {
  const config = loadConfig('tracing', shape, env);
  const exporters = (config.OTEL_TRACES_EXPORTER ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  const endpoint = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (config.OTEL_EXPORTER_OTLP_ENDPOINT ? `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (config.OTEL_SDK_DISABLED || exporters.includes('none')) return { enabled: false };
  if (exporters.length === 0 && endpoint === undefined) return { enabled: false };
  const protocol = config.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? config.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/json';
  const onlyOtlp = exporters.length === 0 || (exporters.length === 1 && exporters[0] === 'otlp');
  if (onlyOtlp && protocol === 'http/json') return { enabled: true, exporter: 'otlp-json', destination: endpoint ?? 'http://localhost:4318/v1/traces' };
  return { enabled: true, exporter: 'from-env', destination: `${exporters.join(',') || 'otlp'} (${protocol})${endpoint ? ` to ${endpoint}` : ''}` };
}
