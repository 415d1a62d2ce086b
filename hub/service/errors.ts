import { SwitchboardError } from '../errors/index.js';

/**
 * Errors a service returns to its callers. Each maps to one HTTP status, carries a stable
 * code (`SWB_ERR_<AREA>_<REASON>`) and, where one input is at fault, the `field` it names
 * (a dotted path such as `lines.0.quantity`).
 */
export abstract class ServiceError extends SwitchboardError {
  /** HTTP status the error handler answers with. */
  abstract readonly statusCode: number;
  /** The input field at fault, when there is one. */
  readonly field: string | undefined;

  constructor(code: string, message: string, options: { field?: string; retriable?: boolean; cause?: unknown } = {}) {
    super(code, message, { retriable: options.retriable ?? false, cause: options.cause });
    this.field = options.field;
  }
}

/** 400: the input is malformed or breaks a rule that JSON schema cannot express. */
export class ValidationError extends ServiceError {
  readonly statusCode = 400;
}

/**
 * 404: a referenced record does not exist. Marked retriable when the record is expected to
 * arrive later through another flow (an order reaching the ERP before the customer's account).
 */
export class NotFoundError extends ServiceError {
  readonly statusCode = 404;
}

/** 409: the request conflicts with the record's current state (e.g. cancelling a shipped order). */
export class ConflictError extends ServiceError {
  readonly statusCode = 409;
}

/** 422: a business rule refuses the request (e.g. a payment larger than what is outstanding). */
export class BusinessRuleError extends ServiceError {
  readonly statusCode = 422;
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
