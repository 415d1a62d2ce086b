import type { RouteOptions } from 'fastify';
import { parseTraceparent } from '../bus/traceparent.js';
import { isWriteMethod } from '../auth/scopes.js';

/** Visible ASCII without spaces: what may travel on as an HTTP header to the next system. */
const VISIBLE_ASCII = '^[\\x21-\\x7e]+$';

/**
 * The headers every state-changing route reads, as a JSON schema: fastify validates them like
 * the body (a bad value is a 400 naming the header) and the OpenAPI document lists them. The
 * correlation and causation ids travel on in the events the command writes and in every call a
 * connector makes for them, so they must be sendable headers: 1 to 200 visible ASCII characters.
 * `traceparent` is not refused: a malformed one is dropped and the request starts a new trace,
 * as W3C Trace Context asks (see {@link validTraceparent}).
 */
export const commandHeadersSchema = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string', minLength: 1, maxLength: 255, pattern: VISIBLE_ASCII,
      description: 'Makes the command safe to repeat: a repeat with the same key and request gets the first answer (Idempotent-Replayed: true); 1 to 255 visible ASCII characters.',
    },
    'x-correlation-id': {
      type: 'string', minLength: 1, maxLength: 200, pattern: VISIBLE_ASCII,
      description: 'The business flow this command belongs to; carried into the events it writes. 1 to 200 visible ASCII characters.',
    },
    'x-causation-id': {
      type: 'string', minLength: 1, maxLength: 200, pattern: VISIBLE_ASCII,
      description: 'The id of the event that caused this command (connectors send it). 1 to 200 visible ASCII characters.',
    },
    traceparent: {
      type: 'string',
      description: 'W3C trace context; a malformed value is ignored and the request starts a new trace.',
    },
  },
} as const;

/**
 * Adds {@link commandHeadersSchema} to every state-changing route registered in `scope` after
 * this call (a route's own header schema, if any, is kept and extended).
 */
export function describeCommandHeaders(route: RouteOptions): void {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (!methods.some((method) => isWriteMethod(method))) return;
  const schema = (route.schema ?? {}) as { headers?: { properties?: Record<string, unknown> } };
  const own = schema.headers?.properties ?? {};
  route.schema = { ...schema, headers: { ...commandHeadersSchema, ...schema.headers, properties: { ...commandHeadersSchema.properties, ...own } } };
}

/**
 * The request's `traceparent` when it is a valid W3C trace context, else null (the command then
 * starts a new trace): an unusable value is never stored in events.
 *
 * @example
 * ```ts
 * validTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'); // the same string
 * validTraceparent('garbage'); // null
 * ```
 */
export function validTraceparent(value: string | null): string | null {
  if (value === null) return null;
  return parseTraceparent(value) ? value.trim() : null;
}
