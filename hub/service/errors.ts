import { SwitchboardError, errorSpec, type ErrorCodeWhere, type HttpErrorCode } from '../errors/index.js';

/** What a service error may say besides its code and message. */
export interface ServiceErrorOptions {
  /** The input field at fault, a dotted path such as `lines.0.quantity`. */
  readonly field?: string;
  readonly cause?: unknown;
}

/**
 * Errors a service returns to its callers. Each carries a stable code from the catalogue
 * (`hub/errors/codes.ts`), which gives its HTTP status and whether it is retriable, and,
 * where one input is at fault, the `field` it names (a dotted path such as `lines.0.quantity`).
 * Each subclass takes only the codes whose status is its own, so a 409 code cannot be thrown
 * as a ValidationError.
 *
 * @example
 * ```ts
 * throw new NotFoundError(ERRORS.CRM_ORDER_NOT_FOUND.code, `order ${id} does not exist`, { field: 'id' });
 * ```
 */
export abstract class ServiceError extends SwitchboardError {
  /** HTTP status the error handler answers with: the catalogue's status for the code. */
  readonly statusCode: number;
  /** The input field at fault, when there is one. */
  readonly field: string | undefined;

  constructor(code: HttpErrorCode, message: string, options: ServiceErrorOptions = {}) {
    super(code, message, { cause: options.cause });
    this.statusCode = errorSpec(code).status;
    this.field = options.field;
  }
}

/** 400: the input is malformed or breaks a rule that JSON schema cannot express. */
export class ValidationError extends ServiceError {
  constructor(code: ErrorCodeWhere<{ readonly status: 400 }>, message: string, options: ServiceErrorOptions = {}) {
    super(code, message, options);
  }
}

/**
 * 404: a referenced record does not exist. Retriable when its code says the record is
 * expected to arrive later through another flow (the `_NOT_YET` codes, e.g. an order
 * reaching the ERP before the customer's account).
 */
export class NotFoundError extends ServiceError {
  constructor(code: ErrorCodeWhere<{ readonly status: 404 }>, message: string, options: ServiceErrorOptions = {}) {
    super(code, message, options);
  }
}

/** 409: the request conflicts with the record's current state (e.g. cancelling a shipped order). */
export class ConflictError extends ServiceError {
  constructor(code: ErrorCodeWhere<{ readonly status: 409 }>, message: string, options: ServiceErrorOptions = {}) {
    super(code, message, options);
  }
}

/** 422: a business rule refuses the request (e.g. a payment larger than what is outstanding). */
export class BusinessRuleError extends ServiceError {
  constructor(code: ErrorCodeWhere<{ readonly status: 422 }>, message: string, options: ServiceErrorOptions = {}) {
    super(code, message, options);
  }
}

/** True for ServiceErrors, also across duplicated module copies (Jest loads modules twice). */
export function isServiceError(error: unknown): error is ServiceError {
  return (
    error instanceof ServiceError ||
    (error instanceof Error &&
      typeof (error as Partial<ServiceError>).code === 'string' &&
      typeof (error as Partial<ServiceError>).statusCode === 'number' &&
      'field' in error)
  );
}
