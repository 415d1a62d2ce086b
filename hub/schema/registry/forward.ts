/** Marks a write forwarded by another instance; its value is the forwarding instance's URL. */
export const FORWARDED_HEADER = 'x-switchboard-registry-forwarded-by';

/**
 * Longer than a write can take on a healthy writer (its read-back waits up to 30 s), so a
 * slow write is not cut off and retried while it may still land.
 */
const FORWARD_TIMEOUT_MS = 35_000;

/** Errors that mean the request never reached the writer, so sending it again is safe. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** The write as it arrived: what is needed to send it on. */
export interface WriteRequest {
  readonly method: string;
  /** Path and query as received (still percent-encoded). */
  readonly url: string;
  /** The parsed JSON body, undefined when there was none. */
  readonly body: unknown;
}

export type ForwardResult =
  /** The writer answered; its status and body go back to the client as they are. */
  | { readonly kind: 'answered'; readonly status: number; readonly body: unknown }
  /** Nothing reached the writer (refused, unresolvable): safe to send again. */
  | { readonly kind: 'unreachable'; readonly reason: string }
  /** Sent, but no answer came: the write may or may not have happened. */
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * Sends a write on to the writer at `writerUrl`, marked with {@link FORWARDED_HEADER} so that
 * the writer never forwards it again.
 *
 * @example
 * ```ts
 * const result = await forwardWrite('http://10.0.0.5:8081', { method: 'POST', url: '/subjects/s/versions', body: { schema } }, 'http://10.0.0.6:8081');
 * if (result.kind === 'answered') reply.code(result.status).send(result.body);
 * ```
 */
export async function forwardWrite(writerUrl: string, request: WriteRequest, origin: string): Promise<ForwardResult> {
  let response: Response;
  try {
    response = await fetch(`${writerUrl}${request.url}`, {
      method: request.method,
      headers: {
        'content-type': 'application/vnd.schemaregistry.v1+json',
        accept: 'application/vnd.schemaregistry.v1+json',
        [FORWARDED_HEADER]: origin,
        // A fresh connection per write: a pooled one the writer closed while shutting down
        // fails ambiguously ("other side closed"), a fresh one is cleanly refused.
        connection: 'close',
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
  } catch (error) {
    const code = errorCode(error);
    const reason = `${writerUrl}: ${code ?? messageOf(error)}`;
    return code !== undefined && NOT_SENT.has(code) ? { kind: 'unreachable', reason } : { kind: 'unknown', reason };
  }
  try {
    const text = await response.text();
    return { kind: 'answered', status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  } catch (error) {
    return { kind: 'unknown', reason: `${writerUrl} answered ${response.status} with an unreadable body: ${messageOf(error)}` };
  }
}

/**
 * Node's fetch reports "fetch failed" and keeps the useful code (ECONNREFUSED, ...) in `cause`.
 * Duck-typed rather than `instanceof Error`: fetch's errors come from another realm under Jest.
 */
function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; typeof current === 'object' && current !== null && depth < 4; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    current = cause;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
