import { ERRORS, SwitchboardError } from '../../errors/index.js';

/** What the registry said, when it answered. */
export interface RegistryReply {
  /** HTTP status, or undefined when no answer came (network error, timeout). */
  readonly status?: number;
  /** Confluent error code from the body, e.g. 40401 (subject not found), 40403 (schema not found). */
  readonly registryErrorCode?: number;
}

/** Confluent's error codes for "not found", by what was missing. */
export const REGISTRY_NOT_FOUND = Object.freeze({ subject: 40401, version: 40402, schema: 40403 });

/**
 * A subject, version or schema id the registry does not know (HTTP 404). Not retriable: the
 * registry answered, and schema ids do not appear later.
 */
export class SchemaNotFoundError extends SwitchboardError implements RegistryReply {
  readonly status = 404;
  constructor(
    message: string,
    readonly registryErrorCode: number | undefined,
    options: { cause?: unknown } = {},
  ) {
    super(ERRORS.SCHEMA_NOT_FOUND.code, message, options);
  }

  /** True when the registry said the subject itself does not exist (40401). */
  get subjectNotFound(): boolean {
    return this.registryErrorCode === REGISTRY_NOT_FOUND.subject;
  }
}

/** The registry could not be reached, timed out, was throttling (429) or failed (5xx). Retriable. */
export class SchemaRegistryUnavailableError extends SwitchboardError implements RegistryReply {
  constructor(
    message: string,
    readonly status?: number,
    readonly registryErrorCode?: number,
    options: { cause?: unknown } = {},
  ) {
    super(ERRORS.SCHEMA_REGISTRY_UNAVAILABLE.code, message, options);
  }
}

/**
 * The registry refused the request (4xx other than 404 and 429): an incompatible schema
 * (409, `SWB_ERR_SCHEMA_INCOMPATIBLE`), an invalid schema (422, `SWB_ERR_SCHEMA_INVALID`) or
 * another bad request (`SWB_ERR_SCHEMA_REGISTRY_REJECTED`). Not retriable.
 */
export class SchemaRegistryRequestError extends SwitchboardError implements RegistryReply {
  constructor(
    message: string,
    readonly status: number,
    readonly registryErrorCode?: number,
  ) {
    super(status === 409 ? ERRORS.SCHEMA_INCOMPATIBLE.code : status === 422 ? ERRORS.SCHEMA_INVALID.code : ERRORS.SCHEMA_REGISTRY_REJECTED.code, message);
  }
}
