import { Agent, request } from 'undici';
import { childTraceparent, type EventMetadata } from '../bus/index.js';
import type { AnswerVerdict, HttpAction, HttpResponse } from '../sdk/types.js';
import { MissingDependencyError } from '../errors/index.js';
import { TargetRejectedError, TargetUnavailableError } from './errors.js';

/**
 * What a target outside the catalogue's systems adds to each call (hub/adapters/sinks):
 * authentication, a rate limit, and obedience to `Retry-After`.
 */
export interface TargetGate {
  /** Waits for the target's rate limit (and any pause it asked for); resolves to the call's authentication headers. */
  admit(): Promise<Readonly<Record<string, string>>>;
  /**
   * Sees every answer with its headers and the authentication it was sent with; may judge it
   * before the defaults (a 401 to a token that was then dropped is worth a retry).
   */
  answered(status: number, headers: Readonly<Record<string, string | string[] | undefined>>, sent: Readonly<Record<string, string>>): AnswerVerdict;
}

/** One call to a target, with everything the runtime adds to it. */
export interface TargetCall {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /** Authentication and rate limit of an external target; none for the catalogue's systems. */
  readonly gate?: TargetGate;
  readonly action: HttpAction;
  readonly idempotencyKey: string;
  /** The consumed event: its id is the call's causation, its correlation id and trace travel on. */
  readonly cause: EventMetadata;
}

/**
 * One keep-alive connection pool for every target of the process. undici's `request` costs a
 * fraction of the CPU of the global `fetch` per call, which is the hot path of an HTTP-bound
 * connector (measured in bench/connector-throughput.bench.ts).
 */
const targets = new Agent({ keepAliveTimeout: 10_000, connections: 64 });

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Performs one HTTP action and classifies the answer: the action's `classify` first (when it
 * says `retriable` or `final`); then 2xx (or an `okStatuses` status) is
 * applied; 5xx, 408, 429, timeouts and connection failures throw TargetUnavailableError
 * (retriable); a 4xx whose body says `{error: {retriable: true}}` throws MissingDependencyError
 * (retriable); any other status throws TargetRejectedError (dead-lettered). Targets
 * deduplicate on the `Idempotency-Key` header, so repeating a call after a lost answer is safe.
 */
export async function callTarget(call: TargetCall): Promise<HttpResponse> {
  const { action, cause } = call;
  const url = `${call.baseUrl}${action.path}`;
  const auth = call.gate ? await call.gate.admit() : {};
  const headers: Record<string, string> = {
    ...lowerCaseKeys(action.headers),
    ...auth,
    accept: 'application/json',
    'idempotency-key': call.idempotencyKey,
    'x-correlation-id': cause.correlationId,
    'x-causation-id': cause.id,
    traceparent: childTraceparent(cause.traceparent),
  };
  if (action.body !== undefined) headers['content-type'] = 'application/json';
  let status: number;
  let text: string;
  let answerHeaders: Record<string, string | string[] | undefined> = {};
  try {
    const response = await request(url, {
      method: action.method,
      headers,
      body: action.body === undefined ? undefined : JSON.stringify(action.body),
      dispatcher: targets,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.timeoutMs,
    });
    status = response.statusCode;
    answerHeaders = response.headers;
    text = await response.body.text();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === 'string' && TIMEOUT_CODES.has(code) ? `timed out after ${call.timeoutMs} ms` : describeNetworkError(error);
    throw new TargetUnavailableError(`${action.method} ${url} failed: ${reason}`, undefined, { cause: error });
  }
  const body = parseBody(text);
  // The connector's own rules on answers come before the gate's, and both before the defaults below.
  const gateVerdict = call.gate?.answered(status, answerHeaders, auth);
  const verdict = (action.classify ? await action.classify({ status, body }) : undefined) ?? gateVerdict;
  if (verdict === 'retriable') throw new TargetUnavailableError(`${action.method} ${url} answered ${status}${summarize(body)} (retriable by the connector's rules)`, status);
  if (verdict === 'final') throw new TargetRejectedError(`${action.method} ${url} answered ${status}${summarize(body)} (final by the connector's rules)`, status, body);
  if ((status >= 200 && status < 300) || action.okStatuses?.includes(status)) return { status, body };
  const detail = summarize(body);
  if (status >= 500 || status === 429 || status === 408) {
    throw new TargetUnavailableError(`${action.method} ${url} answered ${status}${detail}`, status);
  }
  // A target that says "not there yet" (a 4xx with `error.retriable: true`, as Switchboard's
  // services answer for a product or sales order that has not arrived) is a race to wait out.
  if (saysRetriable(body)) {
    throw new MissingDependencyError(`${action.method} ${url} answered ${status}${detail}`);
  }
  throw new TargetRejectedError(`${action.method} ${url} answered ${status}${detail}`, status, body);
}

/** A connector's extra headers, lower-cased so that the runtime's own headers replace any spelling of them. */
function lowerCaseKeys(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return headers ? Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])) : {};
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The error's code (ECONNREFUSED, ...) and message without the stack. Duck-typed: errors may come from another realm. */
function describeNetworkError(error: unknown): string {
  const { message, cause, code } = (error ?? {}) as { message?: unknown; code?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (typeof code === 'string' && code.startsWith('E')) return `${code}${typeof message === 'string' && message ? ` (${message})` : ''}`;
  if (cause && typeof cause.code === 'string') return `${cause.code}${typeof cause.message === 'string' && cause.message ? ` (${cause.message})` : ''}`;
  const text = typeof message === 'string' ? message : String(error);
  return cause && typeof cause.message === 'string' ? `${text}: ${cause.message}` : text;
}

function summarize(body: unknown): string {
  if (body === undefined) return '';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return `: ${text.length > 300 ? `${text.slice(0, 297)}...` : text}`;
}

function saysRetriable(body: unknown): boolean {
  const error = (body as { error?: { retriable?: unknown } } | undefined)?.error;
  return typeof error === 'object' && error !== null && error.retriable === true;
}
