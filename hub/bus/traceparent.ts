import { randomFillSync } from 'node:crypto';

/** W3C trace context (https://www.w3.org/TR/trace-context/), version 00. */
export interface TraceContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** Parses a `traceparent` header; returns undefined for anything malformed (the spec says: start a new trace). */
export function parseTraceparent(value: string | undefined): TraceContext | undefined {
  if (!value) return undefined;
  // The usual case, checked by hand (every consumed event and every effect parses one): the
  // regular expression below is the rule, and the fallback for anything else (e.g. whitespace).
  if (value.length === 55 && isCanonical(value)) {
    const traceId = value.slice(3, 35);
    const spanId = value.slice(36, 52);
    if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
    return { traceId, spanId, sampled: (parseInt(value.slice(53), 16) & 1) === 1 };
  }
  const match = TRACEPARENT.exec(value.trim());
  if (!match || match[1] === ZERO_TRACE || match[2] === ZERO_SPAN) return undefined;
  return { traceId: match[1], spanId: match[2], sampled: (parseInt(match[3], 16) & 1) === 1 };
}

/** `00-<32 hex>-<16 hex>-<2 hex>`, lower-case, exactly (what TRACEPARENT matches without trimming). */
function isCanonical(value: string): boolean {
  if (value.charCodeAt(0) !== 48 || value.charCodeAt(1) !== 48 || value.charCodeAt(2) !== 45 || value.charCodeAt(35) !== 45 || value.charCodeAt(52) !== 45) return false;
  for (let i = 3; i < 55; i++) {
    if (i === 35 || i === 52) continue;
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** Formats a trace context as a `traceparent` header value. */
export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.sampled ? '01' : '00'}`;
}

/**
 * Random bytes for ids, drawn from a pool filled 4 KB at a time: every consumed event and every
 * effect gets a span id, and a `randomBytes` call per id (a native call and a new Buffer) was 5 %
 * of the connector runtime's CPU (bench/COMPARISONS.md). Still the system's CSPRNG.
 */
const pool = Buffer.allocUnsafe(4096);
let poolAt = pool.length;

function randomHex(bytes: number, zero: string): string {
  for (;;) {
    if (poolAt + bytes > pool.length) {
      randomFillSync(pool);
      poolAt = 0;
    }
    const hex = pool.toString('hex', poolAt, poolAt + bytes);
    poolAt += bytes;
    // An all-zero id is invalid (W3C trace context); one in 2^64 draws, draw again.
    if (hex !== zero) return hex;
  }
}

/** A new random trace id: 32 lower-case hex digits, never all zero. */
export function newTraceId(): string {
  return randomHex(16, ZERO_TRACE);
}

/** A new random span id: 16 lower-case hex digits, never all zero. */
export function newSpanId(): string {
  return randomHex(8, ZERO_SPAN);
}

/** A new span in `parent`'s trace, or the root span of a new trace when there is no parent. */
export function childTraceparent(parent?: string): string {
  const context = parseTraceparent(parent);
  return formatTraceparent({
    traceId: context?.traceId ?? newTraceId(),
    spanId: newSpanId(),
    sampled: context?.sampled ?? true,
  });
}
