import type { FastifySchema } from 'fastify';
import { errorResponseSchema } from './json-schemas.js';

const refusal = (description: string) => ({ ...errorResponseSchema, description });

/**
 * The answers every service route may give, for the OpenAPI document only (fastify's own
 * serialisation is untouched): a JSON success (`2XX`), a refusal (`4XX`: the catalogue code
 * says why, docs/errors.md) and the service's own fault (`5XX`), all but the success in the
 * `{error: {code, message, field?, retriable?}}` shape. Statuses a route documents itself (401
 * and 403 with auth) are kept.
 *
 * @example
 * ```ts
 * await app.register(swagger, { openapi: { ... }, transform: ({ schema, url }) => ({ schema: withDocumentedAnswers(schema), url }) });
 * ```
 */
export function withDocumentedAnswers(schema: FastifySchema | undefined): FastifySchema {
  const own = (schema?.response ?? {}) as Record<string, unknown>;
  const success = Object.keys(own).some((status) => status.startsWith('2')) ? {} : { '2xx': { description: 'Success: the resource or list as JSON.' } };
  return {
    ...schema,
    response: {
      ...success,
      ...own,
      '4xx': refusal('Refused: bad input, a missing record, a conflict or a business rule; `error.code` says which (docs/errors.md).'),
      '5xx': refusal('The service\'s own fault (SWB_ERR_SERVICE_INTERNAL) or not ready (SWB_ERR_SERVICE_NOT_READY).'),
    },
  };
}
