import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, errorSpec, type ErrorCode, type ErrorCodeWhere, type HttpErrorCode } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { isServiceError } from './errors.js';

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string; retriable?: boolean };
}

/** A status and body to answer with. */
export interface ErrorAnswer {
  statusCode: number;
  body: ErrorBody;
}

/**
 * The answer for `code`: its catalogue status and the `{error: {code, message}}` body.
 *
 * @example
 * ```ts
 * const { statusCode, body } = errorAnswer(ERRORS.SERVICE_NOT_READY.code, 'database does not answer');
 * void reply.code(statusCode).send(body); // 503
 * ```
 */
export function errorAnswer(code: HttpErrorCode, message: string): ErrorAnswer {
  return { statusCode: errorSpec(code).status, body: { error: { code, message } } };
}

interface AjvIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** The codes of a request that breaks its route's JSON schema. */
type ValidationCode = ErrorCodeWhere<{ readonly area: 'VALIDATION' }>;

/** The code of each ajv keyword a route's schema may break. */
const KEYWORD_CODES: Record<string, ValidationCode> = {
  required: ERRORS.VALIDATION_REQUIRED.code,
  additionalProperties: ERRORS.VALIDATION_UNKNOWN_FIELD.code,
  type: ERRORS.VALIDATION_TYPE.code,
  format: ERRORS.VALIDATION_FORMAT.code,
  enum: ERRORS.VALIDATION_NOT_ALLOWED.code,
  pattern: ERRORS.VALIDATION_PATTERN.code,
  minimum: ERRORS.VALIDATION_RANGE.code,
  maximum: ERRORS.VALIDATION_RANGE.code,
  exclusiveMinimum: ERRORS.VALIDATION_RANGE.code,
  exclusiveMaximum: ERRORS.VALIDATION_RANGE.code,
  minLength: ERRORS.VALIDATION_LENGTH.code,
  maxLength: ERRORS.VALIDATION_LENGTH.code,
  minItems: ERRORS.VALIDATION_LENGTH.code,
  maxItems: ERRORS.VALIDATION_LENGTH.code,
  minProperties: ERRORS.VALIDATION_REQUIRED.code,
};

/** Fastify's own errors for bad requests, mapped to Switchboard codes (which give the status). */
const FASTIFY_CODES: Record<string, { code: HttpErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: ERRORS.HTTP_UNSUPPORTED_MEDIA_TYPE.code, message: 'Content-Type must be application/json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: ERRORS.HTTP_BODY_TOO_LARGE.code, message: 'request body is too large' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: ERRORS.HTTP_EMPTY_BODY.code, message: 'request body is empty but Content-Type is application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: ERRORS.HTTP_INVALID_CONTENT_LENGTH.code, message: 'Content-Length does not match the body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: ERRORS.HTTP_MALFORMED_JSON.code, message: 'request body is not valid JSON' },
};

/** `/lines/0/quantity` → `lines.0.quantity`. */
function pointerToField(pointer: string): string {
  return pointer.split('/').filter(Boolean).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
}

/** Turns one ajv issue into the field it names and a code. */
export function describeValidationIssue(issue: AjvIssue, context: string): ErrorBody['error'] & { code: ValidationCode } {
  let field = pointerToField(issue.instancePath);
  const child = issue.params.missingProperty ?? issue.params.additionalProperty;
  if (typeof child === 'string') field = field ? `${field}.${child}` : child;
  const code = KEYWORD_CODES[issue.keyword] ?? ERRORS.VALIDATION_INVALID.code;
  const subject = field || context;
  let message = `${subject} ${issue.message ?? 'is invalid'}`;
  if (issue.keyword === 'required') message = `${subject} is required`;
  if (issue.keyword === 'additionalProperties') message = `${subject} is not a known field`;
  if (issue.keyword === 'enum' && Array.isArray(issue.params.allowedValues) && issue.params.allowedValues.length <= 10) {
    message = `${subject} must be one of ${issue.params.allowedValues.join(', ')}`;
  }
  return { code, message, ...(field ? { field } : { field: context }) };
}

/**
 * A request header that breaks the route's header schema: the message names the header. A bad
 * Idempotency-Key keeps its own code, the one `executeCommand` answers with.
 */
function headerAnswer(issue: ErrorBody['error'] & { code: ValidationCode }): ErrorAnswer & { unexpected: boolean } {
  const header = issue.field ?? 'headers';
  if (header === 'idempotency-key') {
    const { statusCode, body } = errorAnswer(ERRORS.IDEMPOTENCY_KEY_INVALID.code, 'header Idempotency-Key must be 1–255 visible ASCII characters');
    return { statusCode, body: { error: { ...body.error, field: 'Idempotency-Key' } }, unexpected: false };
  }
  const error = { ...issue, message: `header ${issue.message}` };
  if (issue.code === ERRORS.VALIDATION_PATTERN.code || issue.code === ERRORS.VALIDATION_LENGTH.code) {
    error.message = `header ${header} must be 1–200 visible ASCII characters (no spaces, no accents): it travels on to the other systems`;
  }
  return { statusCode: errorSpec(issue.code).status, body: { error }, unexpected: false };
}

/** Maps any error to a status and body. Bad input is always 4xx; only our own faults are 500. */
export function toErrorResponse(error: unknown): ErrorAnswer & { unexpected: boolean } {
  if (isServiceError(error)) {
    return {
      statusCode: error.statusCode,
      body: { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}), ...(error.retriable ? { retriable: true } : {}) } },
      unexpected: false,
    };
  }
  const fastifyError = error as Partial<FastifyError> & { validation?: AjvIssue[]; validationContext?: string };
  if (Array.isArray(fastifyError.validation) && fastifyError.validation.length > 0) {
    const first = fastifyError.validation[0] as AjvIssue;
    const context = fastifyError.validationContext ?? 'body';
    if (context === 'headers') return headerAnswer(describeValidationIssue(first, context));
    const issue = describeValidationIssue(first, context);
    return { statusCode: errorSpec(issue.code).status, body: { error: issue }, unexpected: false };
  }
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return { ...errorAnswer(known.code, known.message), unexpected: false };
  if (error instanceof SyntaxError) {
    return { ...errorAnswer(ERRORS.HTTP_MALFORMED_JSON.code, `request body is not valid JSON: ${error.message}`), unexpected: false };
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify chose the 4xx (e.g. 406, 414); keep it rather than the catalogue's 400.
    return { ...errorAnswer(ERRORS.HTTP_BAD_REQUEST.code, fastifyError.message ?? 'bad request'), statusCode: status, unexpected: false };
  }
  return { ...errorAnswer(ERRORS.SERVICE_INTERNAL.code, 'internal error; the service log has the details'), unexpected: true };
}

/** Fastify error handler: answers `{error: {code, message, field?}}` and logs only unexpected errors. */
export function createErrorHandler(logger: Logger) {
  return function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const { statusCode, body, unexpected } = toErrorResponse(error);
    if (unexpected) logger.error({ err: error, method: request.method, url: request.url }, 'request failed');
    void reply.code(statusCode).type('application/json').send(body);
  };
}
