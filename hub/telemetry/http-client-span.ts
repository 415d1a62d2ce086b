import { ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_FULL } from './attributes.js';
import { SpanKind, failSpan, startChildSpan, type StartedSpan } from './spans.js';

/**
 * A CLIENT span for one outgoing HTTP call (HTTP conventions: named by the method, with
 * `http.request.method`, `url.full`, `server.address`, `server.port`), child of
 * `parentTraceparent`. Send its `traceparent` as the request's header, so the server's span is
 * its child; end it with {@link endHttpClientSpan}.
 *
 * @example
 * ```ts
 * const client = startHttpClientSpan('POST', 'http://127.0.0.1:3002/sales-orders', cause.traceparent);
 * headers.traceparent = client.traceparent;
 * ```
 */
export function startHttpClientSpan(method: string, url: string, parentTraceparent: string | null | undefined): StartedSpan {
  return startChildSpan(method, SpanKind.CLIENT, parentTraceparent, () => {
    const server = serverOf(url);
    return { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_FULL]: url, [ATTR_SERVER_ADDRESS]: server.address, [ATTR_SERVER_PORT]: server.port };
  });
}

/** `scheme://authority` at the start of a URL. */
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;
/** Servers already parsed, by origin: a worker calls a few targets, each many times. Bounded, in case URLs are built from data. */
const servers = new Map<string, { readonly address: string; readonly port: number }>();
const MAX_SERVERS = 256;

/**
 * `server.address` and `server.port` of a URL. Only its origin is parsed with `URL`, once per
 * origin: parsing every call's full URL was the largest part of a client span's attributes.
 */
function serverOf(url: string): { readonly address: string; readonly port: number } {
  const origin = ORIGIN.exec(url)?.[0] ?? url;
  let server = servers.get(origin);
  if (!server) {
    const target = new URL(url);
    server = { address: target.hostname, port: Number(target.port || (target.protocol === 'https:' ? 443 : 80)) };
    if (servers.size >= MAX_SERVERS) servers.clear();
    servers.set(origin, server);
  }
  return server;
}

/**
 * Ends a client span with the answer's status (a 4xx or 5xx marks it failed, as the HTTP
 * conventions say for clients, unless the caller `accepted` that status as a success) or,
 * without an answer, with the failure's kind (e.g. `timeout`).
 */
export function endHttpClientSpan(started: StartedSpan, outcome: { status: number; accepted?: boolean } | { errorType: string }): void {
  if ('status' in outcome) {
    started.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, outcome.status);
    if (outcome.status >= 400 && !outcome.accepted) {
      started.span.setAttribute(ATTR_ERROR_TYPE, String(outcome.status));
      failSpan(started.span, String(outcome.status));
    }
  } else {
    started.span.setAttribute(ATTR_ERROR_TYPE, outcome.errorType);
    failSpan(started.span, outcome.errorType);
  }
  started.span.end();
}
