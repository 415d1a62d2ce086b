import { ERRORS, PermanentError, RetriableError, errorSpec, isSwitchboardError, type ErrorCode } from '../errors/index.js';

/**
 * The connector runtime's error family. Every failure of one event ends up classified by
 * {@link classifyFailure} as retriable (retried with backoff, then parked in the retry topic)
 * or not (dead-lettered at once). Codes are stable: they appear in logs, dead-letter headers
 * and the console.
 */

/** The mapping threw a programming error (TypeError, RangeError, ...). Never retried. */
export class MappingBugError extends PermanentError {
  constructor(cause: unknown) {
    super(`mapping failed with a programming error: ${describeCause(cause)}`, { code: ERRORS.RUNTIME_MAPPING_BUG.code, cause });
  }
}

/** The target answered 5xx, 408 or 429, timed out or could not be reached. Retriable. */
export class TargetUnavailableError extends RetriableError {
  constructor(message: string, readonly status?: number, options: { cause?: unknown } = {}) {
    super(message, { code: ERRORS.RUNTIME_TARGET_UNAVAILABLE.code, cause: options.cause });
  }
}

/**
 * The target refused the connector's credential (401) or its scope (403). Retriable: the fault is
 * the deployment's configuration, not the event's, and an event must not be lost to it.
 */
export class TargetUnauthorizedError extends RetriableError {
  constructor(message: string, readonly status: number) {
    super(message, { code: ERRORS.RUNTIME_TARGET_UNAUTHORIZED.code });
  }
}

/** The call could never be sent: the HTTP client refused a header, the URL or the body. Not retriable. */
export class RequestUnsendableError extends PermanentError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: ERRORS.RUNTIME_REQUEST_UNSENDABLE.code, cause: options.cause });
  }
}

/** The target refused the call (4xx): the request is wrong and would be refused again. */
export class TargetRejectedError extends PermanentError {
  constructor(message: string, readonly status: number, readonly body: unknown) {
    super(message, { code: ERRORS.RUNTIME_TARGET_REJECTED.code });
  }
}

/** A record without usable CloudEvents headers or value (null value, missing ce_id). Not retriable. */
export class InvalidRecordError extends PermanentError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: ERRORS.RUNTIME_INVALID_RECORD.code, cause: options.cause });
  }
}

/** How the runtime treats one failure. */
export interface FailureClass {
  readonly retriable: boolean;
  /** A catalogue code; a string because parked records carry it back from a header. */
  readonly code: string;
  readonly message: string;
}

/** The failure class of `code`, retriable as the catalogue says. */
export function failureOf(code: ErrorCode, message: string): FailureClass {
  return { retriable: errorSpec(code).retriable, code, message };
}

/** Programming errors: a bug in the mapping or the runtime, never fixed by retrying. */
const PROGRAMMING_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError']);

/** True for TypeError and friends, by name, so errors from another realm (vm, Jest) count too. */
export function isProgrammingError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && PROGRAMMING_ERRORS.has(String((error as { name?: unknown }).name)) && !isSwitchboardError(error);
}

/**
 * Classifies any thrown value. SwitchboardErrors say themselves whether they are retriable;
 * programming errors are never retried; anything else unknown is treated as not retriable
 * too (retrying an error we do not understand would only delay the dead letter).
 */
export function classifyFailure(error: unknown): FailureClass {
  if (isSwitchboardError(error)) return { retriable: error.retriable, code: error.code, message: error.message };
  if (isProgrammingError(error)) {
    return failureOf(ERRORS.RUNTIME_MAPPING_BUG.code, describeCause(error));
  }
  return failureOf(ERRORS.RUNTIME_UNEXPECTED.code, describeCause(error));
}

function describeCause(cause: unknown): string {
  const { name, message } = (cause ?? {}) as { name?: unknown; message?: unknown };
  return typeof message === 'string' ? `${typeof name === 'string' ? name : 'Error'}: ${message}` : String(cause);
}
