import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../log/logger.js';
import { isServiceError } from './errors.js';

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; retriable?: boolean };
}

interface AjvIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const KEYWORD_CODES: Record<string, string> = {
  required: 'SWB_ERR_VALIDATION_REQUIRED',
  additionalProperties: 'SWB_ERR_VALIDATION_UNKNOWN_FIELD',
  type: 'SWB_ERR_VALIDATION_TYPE',
  format: 'SWB_ERR_VALIDATION_FORMAT',
  enum: 'SWB_ERR_VALIDATION_NOT_ALLOWED',
  pattern: 'SWB_ERR_VALIDATION_PATTERN',
  minimum: 'SWB_ERR_VALIDATION_RANGE',
  maximum: 'SWB_ERR_VALIDATION_RANGE',
  exclusiveMinimum: 'SWB_ERR_VALIDATION_RANGE',
  exclusiveMaximum: 'SWB_ERR_VALIDATION_RANGE',
  minLength: 'SWB_ERR_VALIDATION_LENGTH',
  maxLength: 'SWB_ERR_VALIDATION_LENGTH',
  minItems: 'SWB_ERR_VALIDATION_LENGTH',
  maxItems: 'SWB_ERR_VALIDATION_LENGTH',
  minProperties: 'SWB_ERR_VALIDATION_REQUIRED',
};

/** Fastify's own errors for bad requests, mapped to Switchboard codes. */
const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'SWB_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE', message: 'Content-Type must be application/json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'SWB_ERR_HTTP_BODY_TOO_LARGE', message: 'request body is too large' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'SWB_ERR_HTTP_EMPTY_BODY', message: 'request body is empty but Content-Type is application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'SWB_ERR_HTTP_INVALID_CONTENT_LENGTH', message: 'Content-Length does not match the body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'SWB_ERR_HTTP_MALFORMED_JSON', message: 'request body is not valid JSON' },
};

/** `/lines/0/quantity` → `lines.0.quantity`. */
function pointerToField(pointer: string): string {
  return pointer.split('/').filter(Boolean).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
}

/** Turns one ajv issue into the field it names and a code. */
export function describeValidationIssue(issue: AjvIssue, context: string): ErrorBody['error'] {
  let field = pointerToField(issue.instancePath);
  const child = issue.params.missingProperty ?? issue.params.additionalProperty;
  if (typeof child === 'string') field = field ? `${field}.${child}` : child;
  const code = KEYWORD_CODES[issue.keyword] ?? 'SWB_ERR_VALIDATION_INVALID';
  const subject = field || context;
  let message = `${subject} ${issue.message ?? 'is invalid'}`;
  if (issue.keyword === 'required') message = `${subject} is required`;
  if (issue.keyword === 'additionalProperties') message = `${subject} is not a known field`;
  if (issue.keyword === 'enum' && Array.isArray(issue.params.allowedValues) && issue.params.allowedValues.length <= 10) {
    message = `${subject} must be one of ${issue.params.allowedValues.join(', ')}`;
  }
  return { code, message, ...(field ? { field } : { field: context }) };
}

/** Maps any error to a status and body. Bad input is always 4xx; only our own faults are 500. */
export function toErrorResponse(error: unknown): { statusCode: number; body: ErrorBody; unexpected: boolean } {
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
    return { statusCode: 400, body: { error: describeValidationIssue(first, fastifyError.validationContext ?? 'body') }, unexpected: false };
  }
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return { statusCode: known.status, body: { error: { code: known.code, message: known.message } }, unexpected: false };
  if (error instanceof SyntaxError) {
    return { statusCode: 400, body: { error: { code: 'SWB_ERR_HTTP_MALFORMED_JSON', message: `request body is not valid JSON: ${error.message}` } }, unexpected: false };
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { statusCode: status, body: { error: { code: 'SWB_ERR_HTTP_BAD_REQUEST', message: fastifyError.message ?? 'bad request' } }, unexpected: false };
  }
  return { statusCode: 500, body: { error: { code: 'SWB_ERR_INTERNAL', message: 'internal error; the service log has the details' } }, unexpected: true };
}

/** Fastify error handler: answers `{error: {code, message, field?}}` and logs only unexpected errors. */
export function createErrorHandler(logger: Logger) {
  return function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const { statusCode, body, unexpected } = toErrorResponse(error);
    if (unexpected) logger.error({ err: error, method: request.method, url: request.url }, 'request failed');
    void reply.code(statusCode).type('application/json').send(body);
  };
}
