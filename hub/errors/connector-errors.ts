import { ERRORS, type PermanentCode, type RetriableCode } from './codes.js';
import { SwitchboardError } from './switchboard-error.js';

/**
 * The errors a connector's mapping throws (through the SDK's `missingDependency` and
 * `mappingError`, or directly), and the two families every runtime failure belongs to. They
 * live here, below both the SDK and the runtime, so the SDK does not depend on the runtime.
 * Each family takes only codes the catalogue marks as such: a RetriableError with a code the
 * catalogue calls permanent does not compile.
 */

/** A failure that may pass: the runtime retries it with backoff, then parks the event. */
export class RetriableError extends SwitchboardError {
  constructor(message: string, options: { code?: RetriableCode; cause?: unknown } = {}) {
    super(options.code ?? ERRORS.RUNTIME_RETRIABLE.code, message, { cause: options.cause });
  }
}

/** A failure that will not pass by retrying: the runtime dead-letters the event at once. */
export class PermanentError extends SwitchboardError {
  constructor(message: string, options: { code?: PermanentCode; cause?: unknown } = {}) {
    super(options.code ?? ERRORS.RUNTIME_PERMANENT.code, message, { cause: options.cause });
  }
}

/**
 * Something the event needs is not there yet (a cross-reference, the customer's ERP account).
 * Retriable: real integrations see events race each other, and a missing dependency usually
 * arrives moments later. Never a reason to drop an event.
 */
export class MissingDependencyError extends RetriableError {
  constructor(reason: string) {
    super(reason, { code: ERRORS.RUNTIME_MISSING_DEPENDENCY.code });
  }
}

/** The mapping refused the event on purpose (invalid for this target). Not retriable. */
export class MappingError extends PermanentError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: ERRORS.RUNTIME_MAPPING.code, cause: options.cause });
  }
}

/** A connector definition breaks a rule (unknown topic, event type not on its topics, ...). */
export class ConnectorDefinitionError extends SwitchboardError {
  constructor(readonly problems: readonly string[]) {
    super(ERRORS.RUNTIME_DEFINITION_INVALID.code, `invalid connector definition:\n  ${problems.join('\n  ')}`);
  }
}
