import { ProxyTracerProvider, SpanKind, SpanStatusCode, TraceFlags, isSpanContextValid, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent } from '../bus/index.js';
import { contextFromTraceparent, newChildSpanContext, traceparentOf } from './trace-context.js';

/** The tracer every Switchboard span comes from (a proxy: it follows the SDK once one is started). */
const tracer = trace.getTracer('switchboard');

/** A started span, the context to parent its children with, and its `traceparent` to send on. */
export interface StartedSpan {
  readonly span: Span;
  /** `parent` with this span set: the parent of the spans made inside it. */
  readonly context: Context;
  /** This span's W3C trace context: what travels onward in headers and outbox rows. */
  readonly traceparent: string;
}

/**
 * Whether an SDK is registered behind the API's global tracer provider. Without one, every span
 * is a no-op: then the span's attributes are never built (they are passed as a function for
 * that reason) and the API's tracer is not asked at all; a span costs a span id and a
 * `traceparent` (measured: building the attributes of every span was 3 % of the connector
 * runtime's CPU with tracing off).
 */
function sdkRegistered(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegateTracer('switchboard') !== undefined;
}

/**
 * Starts a span as a child of `parent` and returns it with its context and `traceparent`.
 *
 * Without the SDK (tracing off) the API's no-op tracer records and exports nothing and hands
 * back the parent's own context; the span then gets a new span id in the parent's trace (a
 * new trace without a parent), as the hub did before it traced: each hop still sends its own
 * `traceparent`, and the flow's log lines share one trace id.
 *
 * `attributes` may be a function: it is called only when the span records (an SDK runs).
 *
 * @example
 * ```ts
 * const process = startSpan('process crm.order.v1', SpanKind.CONSUMER, contextFromTraceparent(headers.traceparent), { 'messaging.system': 'kafka' });
 * try { ... } finally { process.span.end(); }
 * ```
 */
export function startSpan(name: string, kind: SpanKind, parent: Context, attributes: Attributes | (() => Attributes) = {}): StartedSpan {
  const parentContext = trace.getSpanContext(parent);
  let span: Span | undefined;
  if (sdkRegistered()) {
    span = tracer.startSpan(name, { kind, attributes: typeof attributes === 'function' ? attributes() : attributes }, parent);
    if (!isSpanContextValid(span.spanContext()) || span.spanContext().spanId === parentContext?.spanId) span = undefined;
  }
  span ??= trace.wrapSpanContext(newChildSpanContext(parentContext));
  const started = span;
  return {
    span: started,
    // Built on demand: only code that starts spans inside this one needs it.
    get context() {
      return trace.setSpan(parent, started);
    },
    traceparent: traceparentOf(started.spanContext()) as string,
  };
}

/**
 * {@link startSpan} under the span a W3C `traceparent` names (a new trace when it is missing or
 * malformed). Without an SDK this is the whole no-op span in a few string operations: no
 * OpenTelemetry context is built unless someone asks for `context`.
 *
 * @example
 * ```ts
 * const send = startChildSpan('send crm.order.v1', SpanKind.PRODUCER, cause.traceparent, () => ({ 'messaging.system': 'kafka' }));
 * ```
 */
export function startChildSpan(name: string, kind: SpanKind, parentTraceparent: string | null | undefined, attributes: Attributes | (() => Attributes) = {}): StartedSpan {
  if (sdkRegistered()) return startSpan(name, kind, contextFromTraceparent(parentTraceparent), attributes);
  const parent = parseTraceparent(parentTraceparent ?? undefined);
  const traceId = parent?.traceId ?? newTraceId();
  const spanId = newSpanId();
  const sampled = parent?.sampled ?? true;
  const span = trace.wrapSpanContext({ traceId, spanId, traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: false });
  return {
    span,
    get context() {
      return trace.setSpan(contextFromTraceparent(parentTraceparent), span);
    },
    traceparent: formatTraceparent({ traceId, spanId, sampled }),
  };
}

/**
 * Marks a span failed with a short, data-free description (an error code or a status), never an
 * error message: messages may quote request bodies, and spans leave the process.
 */
export function failSpan(span: Span, description: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: description });
}

export { SpanKind };
