import { type ErrorCodeWhere } from '../errors/index.js';
import { ServiceError, type ServiceErrorOptions } from '../service/errors.js';

/** 401: no bearer token, or one nobody issued (or that was revoked). */
export class UnauthorizedError extends ServiceError {
  constructor(code: ErrorCodeWhere<{ readonly status: 401 }>, message: string, options: ServiceErrorOptions = {}) {
    super(code, message, options);
  }
}

/** 403: a known token whose role may not do what was asked. */
export class ForbiddenError extends ServiceError {
  constructor(code: ErrorCodeWhere<{ readonly status: 403 }>, message: string, options: ServiceErrorOptions = {}) {
    super(code, message, options);
  }
}
