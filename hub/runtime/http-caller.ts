import { Agent, request } from 'undici';
import type { EventMetadata } from '../bus/index.js';
import { endHttpClientSpan, startHttpClientSpan } from '../telemetry/index.js';
import type { AnswerVerdict, HttpAction, HttpResponse } from '../sdk/types.js';
import { MissingDependencyError } from '../errors/index.js';
import { maskPersonalValues } from '../log/personal-data.js';
import { RequestUnsendableError, TargetRejectedError, TargetUnauthorizedError, TargetUnavailableError } from './errors.js';

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
  /** The consumed event: its id is the call's causation, its correlation id travels on, and its `traceparent` (the process span's) is the parent of the call's span. */
  readonly cause: EventMetadata;
  /** The connector's `Authorization` header value (its bearer token), when it has a credential. */
  readonly authorization?: string;
}

/**
 * One keep-alive connection pool for every target of the process. undici's `request` costs a
 * fraction of the CPU of the global `fetch` per call, which is the hot path of an HTTP-bound
 * connector (measured in bench/connector-throughput.bench.ts).
 */
const targets = new Agent({ keepAliveTimeout: 10_000, connections: 64 });

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Errors raised before anything is sent, for a request that can never be sent as it is: undici
 * refuses a header value (a non-ASCII correlation id), the URL or the body; node's URL and HTTP
 * token checks likewise. Retrying the same event gives the same request, so these are final.
 */
const UNSENDABLE_CODES = new Set([
  'UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_INVALID_RETURN_VALUE', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'ERR_INVALID_URL', 'ERR_INVALID_CHAR', 'ERR_INVALID_HTTP_TOKEN', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE',
]);

/** True for an error that says the request itself is unsendable (see UNSENDABLE_CODES), or a body JSON cannot encode. */
function isUnsendable(error: unknown): boolean {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return (typeof code === 'string' && UNSENDABLE_CODES.has(code)) || name === 'InvalidArgumentError' || (name === 'TypeError' && code === undefined);
}

/**
 * Performs one HTTP action and classifies the answer: the action's `classify` first (when it
 * says `retriable` or `final`); then 2xx (or an `okStatuses` status) is applied; 5xx, 408, 429,
 * timeouts and connection failures throw TargetUnavailableError (retriable); 401 and 403 (the
 * connector's credential or scope) throw TargetUnauthorizedError (retriable: configuration, not
 * the event); a 4xx whose body says `{error: {retriable: true}}` throws MissingDependencyError
 * (retriable); any other status throws TargetRejectedError (dead-lettered); a request the HTTP
 * client refuses to send throws RequestUnsendableError (dead-lettered). Targets deduplicate on
 * the `Idempotency-Key` header, so repeating a call after a lost answer is safe. Error messages
 * quote the target's answer with every submitted personal value masked: they become log lines
 * and dead-letter headers.
 *
 * Each call is an HTTP CLIENT span, child of `cause.traceparent`; the `traceparent` header sent
 * is that span's, so the target's server span is its child.
 */
export async function callTarget(call: TargetCall): Promise<HttpResponse> {
  const { action, cause } = call;
  const url = `${call.baseUrl}${action.path}`;
  const auth = call.gate ? await call.gate.admit() : {};
  const client = startHttpClientSpan(action.method, url, cause.traceparent);
  const headers: Record<string, string> = {
    ...lowerCaseKeys(action.headers),
    ...auth,
    accept: 'application/json',
    'idempotency-key': call.idempotencyKey,
    'x-correlation-id': cause.correlationId,
    'x-causation-id': cause.id,
    traceparent: client.traceparent,
  };
  if (action.body !== undefined) headers['content-type'] = 'application/json';
  if (call.authorization !== undefined) headers.authorization = call.authorization;
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
    if (isUnsendable(error)) {
      endHttpClientSpan(client, { errorType: 'unsendable' });
      throw new RequestUnsendableError(`${action.method} ${url} cannot be sent: ${describeNetworkError(error)}`, { cause: error });
    }
    const code = (error as { code?: unknown }).code;
    const timedOut = typeof code === 'string' && TIMEOUT_CODES.has(code);
    endHttpClientSpan(client, { errorType: timedOut ? 'timeout' : typeof code === 'string' ? code : 'network_error' });
    const reason = timedOut ? `timed out after ${call.timeoutMs} ms` : describeNetworkError(error);
    throw new TargetUnavailableError(`${action.method} ${url} failed: ${reason}`, undefined, { cause: error });
  }
  const body = parseBody(text);
  // The connector's own rules on answers come before the gate's, and both before the defaults below.
  const gateVerdict = call.gate?.answered(status, answerHeaders, auth);
  let verdict;
  try {
    verdict = (action.classify ? await action.classify({ status, body }) : undefined) ?? gateVerdict;
  } catch (error) {
    endHttpClientSpan(client, { status, accepted: true });
    throw error;
  }
  const accepted = verdict === undefined && ((status >= 200 && status < 300) || action.okStatuses?.includes(status) === true);
  endHttpClientSpan(client, { status, accepted });
  if (verdict === 'retriable') throw new TargetUnavailableError(`${action.method} ${url} answered ${status}${summarize(body, action.body)} (retriable by the connector's rules)`, status);
  if (verdict === 'final') throw new TargetRejectedError(`${action.method} ${url} answered ${status}${summarize(body, action.body)} (final by the connector's rules)`, status, body);
  if (accepted) return { status, body };
  const detail = summarize(body, action.body);
  if (status >= 500 || status === 429 || status === 408) {
    throw new TargetUnavailableError(`${action.method} ${url} answered ${status}${detail}`, status);
  }
  if (status === 401 || status === 403) {
    const fix = call.authorization === undefined ? 'the connector has no credential in SWITCHBOARD_CREDENTIALS' : 'check the connector\'s credential and scopes';
    throw new TargetUnauthorizedError(`${action.method} ${url} answered ${status}${detail} (${fix})`, status);
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

/** The target's answer for an error message: personal values of the submitted body masked, at most 300 characters. */
function summarize(body: unknown, sent: unknown): string {
  if (body === undefined) return '';
  const text = maskPersonalValues(typeof body === 'string' ? body : JSON.stringify(body), sent);
  return `: ${text.length > 300 ? `${text.slice(0, 297)}...` : text}`;
}

function saysRetriable(body: unknown): boolean {
  const error = (body as { error?: { retriable?: unknown } } | undefined)?.error;
  return typeof error === 'object' && error !== null && error.retriable === true;
}
