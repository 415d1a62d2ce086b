import {
  INVALID_SPANID, INVALID_TRACEID, ProxyTracerProvider, isSpanContextValid, SpanKind, SpanStatusCode, TraceFlags, trace,
  type Attributes, type Context, type Span, type Tracer, type TracerProvider,
} from '@opentelemetry/api';
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent, type TraceContext } from '../bus/index.js';
import { contextOf, newChildSpanContext, traceparentOf } from './trace-context.js';

/** A started span, the context to parent its children with, and its `traceparent` to send on. */
export interface StartedSpan {
  readonly span: Span;
  /** `parent` with this span set: the parent of the spans made inside it. */
  readonly context: Context;
  /** This span's W3C trace context: what travels onward in headers and outbox rows. */
  readonly traceparent: string;
}

/**
 * A {@link StartedSpan} whose `context` is built on demand: only code that starts spans inside
 * this one needs it. A class, so the getter lives on the prototype: an object literal with a
 * getter (a new accessor per span) took about 30 times as long to create, and was the largest
 * self time of starting a span (bench/COMPARISONS.md).
 */
class LazyContextSpan implements StartedSpan {
  /** The parent is either a context already built or the parsed `traceparent` to build it from (none: a new trace). */
  constructor(readonly span: Span, readonly traceparent: string, private readonly parentContext: Context | undefined, private readonly parentTrace?: TraceContext) {}

  get context(): Context {
    return trace.setSpan(this.parentContext ?? contextOf(this.parentTrace), this.span);
  }
}

/** The name of the tracer every Switchboard span comes from. */
const TRACER_NAME = 'switchboard';

/** Whether the SDK's sampler follows the parent's sampled flag (the default, and every `parentbased_*` sampler). */
let followsParentSampling = true;

/**
 * Tells the spans whether the sampler the SDK was started with follows the parent's decision;
 * `startTracing` calls it from the same configuration. With `always_on` or `traceidratio` a child
 * may be sampled where its parent was not, so every child then goes through the SDK's sampler.
 *
 * @example
 * ```ts
 * setParentBasedSampling(config.parentBasedSampling);
 * ```
 */
export function setParentBasedSampling(parentBased: boolean): void {
  followsParentSampling = parentBased;
}

/**
 * Whether the SDK's sampler has a decision to make for a child of a valid parent with this
 * sampled flag (undefined: no valid parent, a new trace). Under a parent-based sampler a child of
 * a trace that was not sampled is never recorded: the SDK would make the same non-recording span
 * with a new id as the no-op path below, at twice the cost (sampler, id generator, contexts). Most
 * spans of a sampled flow take that path.
 */
function samplerDecides(parentSampled: boolean | undefined): boolean {
  return !followsParentSampling || parentSampled !== false;
}

/** The provider behind the API's global one when last looked at, and the SDK tracer it gave (undefined: no SDK). */
let seenProvider: TracerProvider | undefined;
let seenTracer: Tracer | undefined;

/**
 * The SDK's tracer, or undefined when no SDK is registered behind the API's global tracer
 * provider. Without one, every span is a no-op: then the span's attributes are never built
 * (they are passed as a function for that reason) and the API's tracer is not asked at all; a
 * span costs a span id and a `traceparent` (measured: building the attributes of every span was
 * 3 % of the connector runtime's CPU with tracing off).
 *
 * The tracer is looked up once per registered provider, not per span: asking the proxy for its
 * delegate's tracer built a key and searched the SDK's map for every span, twice (0.6 % of the
 * connector process's CPU with tracing on, in a profile of bench/connector-throughput.bench.ts).
 */
function sdkTracer(): Tracer | undefined {
  const provider = trace.getTracerProvider();
  const delegate = provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider;
  if (delegate !== seenProvider) {
    seenProvider = delegate;
    seenTracer = provider instanceof ProxyTracerProvider ? provider.getDelegateTracer(TRACER_NAME) : provider.getTracer(TRACER_NAME);
  }
  return seenTracer;
}

/**
 * Starts a span with the SDK's `tracer` under `parent` (whose span id is `parentSpanId`, if any);
 * undefined when the tracer handed back no span of its own (an invalid context, or the parent's).
 * Ids are compared with the all-zero invalid ids rather than checked by `isSpanContextValid`'s
 * regular expressions: the SDK makes them from random bytes.
 */
function startRecorded(tracer: Tracer, name: string, kind: SpanKind, parent: Context, parentSpanId: string | undefined, attributes: Attributes | (() => Attributes)): StartedSpan | undefined {
  const span = tracer.startSpan(name, { kind }, parent);
  const { traceId, spanId, traceFlags } = span.spanContext();
  if (traceId === INVALID_TRACEID || spanId === INVALID_SPANID || spanId === parentSpanId) return undefined;
  // Set after the start, and only on a span that records: a span the sampler dropped (its trace
  // was not sampled upstream) never builds them, and the SDK checks each attribute once instead
  // of three times (at the start it sanitizes them twice around the sampler, then sets them).
  // The standard samplers decide by trace id and parent, not by attributes.
  if (span.isRecording()) span.setAttributes(typeof attributes === 'function' ? attributes() : attributes);
  return new LazyContextSpan(span, formatTraceparent({ traceId, spanId, sampled: (traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED }), parent);
}

/**
 * Starts a span as a child of `parent` and returns it with its context and `traceparent`.
 *
 * Without the SDK (tracing off) the API's no-op tracer records and exports nothing and hands
 * back the parent's own context; the span then gets a new span id in the parent's trace (a
 * new trace without a parent), as the hub did before it traced: each hop still sends its own
 * `traceparent`, and the flow's log lines share one trace id.
 *
 * `attributes` may be a function: it is called only when the span records (an SDK runs and the
 * trace is sampled).
 *
 * @example
 * ```ts
 * const process = startSpan('process crm.order.v1', SpanKind.CONSUMER, contextFromTraceparent(headers.traceparent), { 'messaging.system': 'kafka' });
 * try { ... } finally { process.span.end(); }
 * ```
 */
export function startSpan(name: string, kind: SpanKind, parent: Context, attributes: Attributes | (() => Attributes) = {}): StartedSpan {
  const parentContext = trace.getSpanContext(parent);
  const tracer = sdkTracer();
  const parentSampled = parentContext && isSpanContextValid(parentContext) ? (parentContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED : undefined;
  const recorded = tracer && samplerDecides(parentSampled) ? startRecorded(tracer, name, kind, parent, parentContext?.spanId, attributes) : undefined;
  if (recorded) return recorded;
  const started = trace.wrapSpanContext(newChildSpanContext(parentContext));
  return new LazyContextSpan(started, traceparentOf(started.spanContext()) as string, parent);
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
  const parent = parseTraceparent(parentTraceparent ?? undefined);
  const tracer = sdkTracer();
  if (tracer && samplerDecides(parent?.sampled)) {
    const recorded = startRecorded(tracer, name, kind, contextOf(parent), parent?.spanId, attributes);
    if (recorded) return recorded;
  }
  const traceId = parent?.traceId ?? newTraceId();
  const spanId = newSpanId();
  const sampled = parent?.sampled ?? true;
  const span = trace.wrapSpanContext({ traceId, spanId, traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: false });
  return new LazyContextSpan(span, formatTraceparent({ traceId, spanId, sampled }), undefined, parent);
}

/**
 * Marks a span failed with a short, data-free description (an error code or a status), never an
 * error message: messages may quote request bodies, and spans leave the process.
 */
export function failSpan(span: Span, description: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: description });
}

export { SpanKind };
