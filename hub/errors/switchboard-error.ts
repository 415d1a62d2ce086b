import { errorSpec, type ErrorCode } from './codes.js';

/**
 * The root of every error Switchboard throws on purpose.
 *
 * Each error carries a stable `code` from the catalogue (`hub/errors/codes.ts`) that appears
 * in API responses, logs and dead-letter headers, and says whether retrying can help. That
 * flag comes from the code's catalogue entry, so a throw site cannot contradict it.
 * Programming errors (TypeError and friends) are never SwitchboardErrors and are never retried.
 *
 * @example
 * ```ts
 * throw new SwitchboardError(ERRORS.CONFIG_INVALID.code, 'KAFKA_BROKERS is empty');
 * ```
 */
export class SwitchboardError extends Error {
  /** Stable, searchable code, e.g. `SWB_ERR_SCHEMA_NOT_FOUND`. */
  readonly code: ErrorCode;
  /** True when the same operation may succeed later (timeouts, broker unavailable, 5xx). */
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retriable = errorSpec(code).retriable;
    // Keep the subclass name even when Jest loads a module twice (instanceof may then fail).
    this.name = new.target.name;
  }
}

/** True when `error` is a SwitchboardError, also across duplicated module copies. */
export function isSwitchboardError(error: unknown): error is SwitchboardError {
  return (
    error instanceof SwitchboardError ||
    (error instanceof Error &&
      typeof (error as Partial<SwitchboardError>).code === 'string' &&
      typeof (error as Partial<SwitchboardError>).retriable === 'boolean')
  );
}

/** True when retrying `error` may help. Unknown and programming errors are not retriable. */
export function isRetriable(error: unknown): boolean {
  return isSwitchboardError(error) && error.retriable;
}
