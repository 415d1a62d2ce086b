import { ERRORS } from '../../errors/index.js';
import { ValidationError } from '../../service/errors.js';
import { text } from '../../service/json-schemas.js';
import { ROLES } from '../roles.js';
import { TOKEN_NAME_PATTERN } from '../tokens.js';

/** JSON schemas the admin API's routes share. Objects are closed: an unknown field is refused. */

/** A connector name, as `defineConnector` allows it. */
export const connectorName = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' } as const;

/** A dead letter's id: `<partition>:<offset>` of the dead-letter topic. */
export const deadLetterId = { type: 'string', minLength: 3, maxLength: 41, pattern: '^[0-9]+:[0-9]+$' } as const;

/** An error code as the catalogue spells them. */
export const errorCode = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Z][A-Z0-9_]*$' } as const;

/** Why an operator does something; recorded in the audit trail. */
export const reason = text(500);

export const connectorParams = { type: 'object', additionalProperties: false, required: ['name'], properties: { name: connectorName } } as const;

export const deadLetterParams = { type: 'object', additionalProperties: false, required: ['name', 'id'], properties: { name: connectorName, id: deadLetterId } } as const;

/** A body with only an optional reason. */
export const optionalReasonBody = { type: 'object', additionalProperties: false, properties: { reason } } as const;

/** A body with a required reason. */
export const requiredReasonBody = { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason } } as const;

/** A dead letter's status, or `all`. */
export const statusFilter = { type: 'string', enum: ['open', 'replaying', 'replayed', 'discarded', 'all'] } as const;

/** A page size in a query string (query values are strings; the service refuses to coerce). */
export const limitQuery = { type: 'string', pattern: '^[1-9][0-9]{0,3}$' } as const;

/**
 * The page size a query asked for, at most `max`.
 *
 * @example
 * ```ts
 * pageLimit(request.query.limit, 500, 100); // 100 when absent
 * ```
 */
export function pageLimit(value: string | undefined, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (parsed > max) throw new ValidationError(ERRORS.VALIDATION_RANGE.code, `limit must be at most ${max}`, { field: 'limit' });
  return parsed;
}

export const tokenName = { type: 'string', pattern: TOKEN_NAME_PATTERN } as const;

export const role = { type: 'string', enum: [...ROLES] } as const;
