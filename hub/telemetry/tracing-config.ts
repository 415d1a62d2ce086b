import { z } from 'zod';
import { flag, loadConfig } from '../config/load-config.js';

const EXPORTERS = ['otlp', 'console', 'zipkin', 'none'] as const;
const PROTOCOLS = ['http/json', 'http/protobuf', 'grpc'] as const;
/** The samplers the SDK builds from `OTEL_TRACES_SAMPLER`; it only logs an unknown name and keeps every span. */
const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
const RATIO_SAMPLERS: readonly string[] = ['traceidratio', 'parentbased_traceidratio'];

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
  OTEL_TRACES_SAMPLER: z.enum(SAMPLERS).optional().describe(`which traces are kept: ${SAMPLERS.join(', ')}`),
  OTEL_TRACES_SAMPLER_ARG: z
    .preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), z.coerce.number().min(0, 'must be a ratio between 0 and 1').max(1, 'must be a ratio between 0 and 1').optional())
    .describe('the share of new traces a traceidratio sampler keeps, e.g. 0.1'),
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
      /** Which traces are kept, for the start-up log line: `every trace` unless a sampler is set. */
      readonly sampling: string;
      /** Whether the sampler follows the sampled flag of a span's parent (the default, and every `parentbased_*` sampler). */
      readonly parentBasedSampling: boolean;
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
  // A ratio sampler without its ratio: the SDK would log a complaint and keep every trace.
  const config = loadConfig('tracing', shape, env, ({ OTEL_TRACES_SAMPLER: sampler, OTEL_TRACES_SAMPLER_ARG: ratio }) =>
    sampler !== undefined && RATIO_SAMPLERS.includes(sampler) && ratio === undefined
      ? [{ variable: 'OTEL_TRACES_SAMPLER_ARG', message: `is required with OTEL_TRACES_SAMPLER=${sampler}: the share of new traces to keep, e.g. 0.1` }]
      : []);
  const exporters = (config.OTEL_TRACES_EXPORTER ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  const endpoint = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (config.OTEL_EXPORTER_OTLP_ENDPOINT ? `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (config.OTEL_SDK_DISABLED || exporters.includes('none')) return { enabled: false };
  if (exporters.length === 0 && endpoint === undefined) return { enabled: false };
  const sampling = samplingOf(config.OTEL_TRACES_SAMPLER, config.OTEL_TRACES_SAMPLER_ARG);
  const parentBasedSampling = config.OTEL_TRACES_SAMPLER === undefined || config.OTEL_TRACES_SAMPLER.startsWith('parentbased_');
  const protocol = config.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? config.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/json';
  const onlyOtlp = exporters.length === 0 || (exporters.length === 1 && exporters[0] === 'otlp');
  if (onlyOtlp && protocol === 'http/json') return { enabled: true, exporter: 'otlp-json', destination: endpoint ?? 'http://localhost:4318/v1/traces', sampling, parentBasedSampling };
  return { enabled: true, exporter: 'from-env', destination: `${exporters.join(',') || 'otlp'} (${protocol})${endpoint ? ` to ${endpoint}` : ''}`, sampling, parentBasedSampling };
}

/** The sampler the SDK builds from the same two variables, described for the start-up log line. */
function samplingOf(sampler: (typeof SAMPLERS)[number] | undefined, ratio: number | undefined): string {
  if (sampler === undefined) return 'every trace';
  return RATIO_SAMPLERS.includes(sampler) ? `${sampler} ${ratio}` : sampler;
}
