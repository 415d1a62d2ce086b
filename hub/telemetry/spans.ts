import { SpanKind, SpanStatusCode, isSpanContextValid, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { newChildSpanContext, traceparentOf } from './trace-context.js';

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
 * Starts a span as a child of `parent` and returns it with its context and `traceparent`.
 *
 * Without the SDK (tracing off) the API's no-op tracer records and exports nothing and hands
 * back the parent's own context; the span then gets a new span id in the parent's trace (a
 * new trace without a parent), as the hub did before it traced: each hop still sends its own
 * `traceparent`, and the flow's log lines share one trace id.
 *
 * @example
 * ```ts
 * const process = startSpan('process crm.order.v1', SpanKind.CONSUMER, contextFromTraceparent(headers.traceparent), { 'messaging.system': 'kafka' });
 * try { ... } finally { process.span.end(); }
 * ```
 */
export function startSpan(name: string, kind: SpanKind, parent: Context, attributes: Attributes = {}): StartedSpan {
  let span = tracer.startSpan(name, { kind, attributes }, parent);
  const parentContext = trace.getSpanContext(parent);
  if (!isSpanContextValid(span.spanContext()) || span.spanContext().spanId === parentContext?.spanId) {
    span = trace.wrapSpanContext(newChildSpanContext(parentContext));
  }
  return { span, context: trace.setSpan(parent, span), traceparent: traceparentOf(span.spanContext()) as string };
}

/**
 * Marks a span failed with a short, data-free description (an error code or a status), never an
 * error message: messages may quote request bodies, and spans leave the process.
 */
export function failSpan(span: Span, description: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: description });
}

export { SpanKind };
