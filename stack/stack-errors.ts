import { ERRORS, SwitchboardError } from '../hub/errors/index.js';

/** A tool the stack needs (Java 17+, Maven, redis-server, PostgreSQL, Prometheus, Go) is missing and cannot be installed here. */
export class StackPrerequisiteError extends SwitchboardError {
  constructor(message: string, cause?: unknown) {
    super(ERRORS.STACK_PREREQUISITE.code, message, { cause });
  }
}

/** Fetching the Kafka jars from Maven Central failed (network, proxy, repository). */
export class StackDownloadError extends SwitchboardError {
  constructor(message: string, cause?: unknown) {
    super(ERRORS.STACK_DOWNLOAD.code, message, { cause });
  }
}

/** A process of the stack did not start, or did not answer before the deadline. */
export class StackStartError extends SwitchboardError {
  constructor(message: string, cause?: unknown) {
    super(ERRORS.STACK_START.code, message, { cause });
  }
}

/** A secure-stack operation failed: the stack is not secure, or adding a user or an ACL was refused. */
export class StackSecurityError extends SwitchboardError {
  constructor(message: string, cause?: unknown) {
    super(ERRORS.STACK_SECURITY.code, message, { cause });
  }
}
