import { ROOT_CONTEXT, TraceFlags, isSpanContextValid, trace, type Context, type SpanContext } from '@opentelemetry/api';
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent, type TraceContext } from '../bus/index.js';

/**
 * The trace context a W3C `traceparent` names, as the parent of the spans a process makes for
 * it; the root context (a new trace) when the value is missing or malformed.
 *
 * Parsed with the bus's own `parseTraceparent` rather than the globally registered propagator,
 * so it works the same whether or not the OpenTelemetry SDK runs in this process.
 *
 * @example
 * ```ts
 * const parent = contextFromTraceparent(record.headers.traceparent);
 * const span = tracer.startSpan('process crm.order.v1', { kind: SpanKind.CONSUMER }, parent);
 * ```
 */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  return contextOf(parseTraceparent(traceparent ?? undefined));
}

/** {@link contextFromTraceparent} of a `traceparent` already parsed (undefined: the root context, a new trace). */
export function contextOf(parsed: TraceContext | undefined): Context {
  if (!parsed) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: parsed.traceId,
    spanId: parsed.spanId,
    traceFlags: parsed.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}

/**
 * The `traceparent` of a span context, or undefined for the invalid context of a no-op span.
 *
 * @example
 * ```ts
 * headers.traceparent = traceparentOf(span.spanContext()) ?? '';
 * ```
 */
export function traceparentOf(context: SpanContext): string | undefined {
  if (!isSpanContextValid(context)) return undefined;
  return formatTraceparent({ traceId: context.traceId, spanId: context.spanId, sampled: (context.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED });
}

/**
 * A span context for a hop when tracing is off: a new span id in `parent`'s trace, or a new
 * sampled trace when there is no parent. So with or without the SDK every hop sends its own
 * `traceparent` on, and the log lines of one flow share a `trace_id`.
 */
export function newChildSpanContext(parent: SpanContext | undefined): SpanContext {
  const valid = parent !== undefined && isSpanContextValid(parent);
  return {
    traceId: valid ? parent.traceId : newTraceId(),
    spanId: newSpanId(),
    traceFlags: valid ? parent.traceFlags : TraceFlags.SAMPLED,
    isRemote: false,
  };
}
