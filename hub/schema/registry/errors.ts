import { ERRORS, SwitchboardError, errorSpec, type ErrorCodeWhere } from '../../errors/index.js';

/** The codes of the registry's API (area REGISTRY). */
export type RegistryErrorCode = ErrorCodeWhere<{ readonly area: 'REGISTRY' }>;

/**
 * An error the registry answers with Confluent's shape `{error_code, message}`.
 * `httpStatus` is the HTTP status (the catalogue's, for `code`), `errorCode` Confluent's
 * numeric code (40401, 42201, ...), `code` Switchboard's stable `SWB_ERR_REGISTRY_*` code
 * (logged; not part of the body, which Confluent clients parse).
 */
export class RegistryError extends SwitchboardError {
  readonly httpStatus: number;
  readonly errorCode: number;

  constructor(code: RegistryErrorCode, errorCode: number, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.httpStatus = errorSpec(code).status;
    this.errorCode = errorCode;
  }

  /** The response body Confluent clients expect. */
  toBody(): { error_code: number; message: string } {
    return { error_code: this.errorCode, message: this.message };
  }
}

/** True for a RegistryError, also across module copies (Jest). */
export function isRegistryError(error: unknown): error is RegistryError {
  return (
    error instanceof RegistryError ||
    (error instanceof Error && typeof (error as Partial<RegistryError>).errorCode === 'number' && typeof (error as Partial<RegistryError>).httpStatus === 'number')
  );
}

/**
 * Every error the registry answers with, by Confluent code. The README lists the same
 * codes; a unit test keeps the two in step.
 */
export const registryErrors = {
  subjectNotFound: (subject: string) => new RegistryError(ERRORS.REGISTRY_SUBJECT_NOT_FOUND.code, 40401, `Subject '${subject}' not found.`),
  versionNotFound: (subject: string, version: string | number) =>
    new RegistryError(ERRORS.REGISTRY_VERSION_NOT_FOUND.code, 40402, `Version ${version} not found for subject '${subject}'.`),
  schemaNotFound: (detail = 'Schema not found') => new RegistryError(ERRORS.REGISTRY_SCHEMA_NOT_FOUND.code, 40403, detail),
  subjectSoftDeleted: (subject: string) =>
    new RegistryError(ERRORS.REGISTRY_SUBJECT_SOFT_DELETED.code, 40404, `Subject '${subject}' was soft deleted. Set permanent=true to delete permanently`),
  subjectNotSoftDeleted: (subject: string) =>
    new RegistryError(ERRORS.REGISTRY_SUBJECT_NOT_SOFT_DELETED.code, 40405, `Subject '${subject}' was not deleted first before being permanently deleted`),
  versionSoftDeleted: (subject: string, version: number) =>
    new RegistryError(ERRORS.REGISTRY_VERSION_SOFT_DELETED.code, 40406, `Subject '${subject}' Version ${version} was soft deleted. Set permanent=true to delete permanently`),
  versionNotSoftDeleted: (subject: string, version: number) =>
    new RegistryError(ERRORS.REGISTRY_VERSION_NOT_SOFT_DELETED.code, 40407, `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`),
  subjectConfigNotFound: (subject: string) =>
    new RegistryError(ERRORS.REGISTRY_SUBJECT_CONFIG_NOT_FOUND.code, 40408, `Subject '${subject}' does not have subject-level compatibility configured`),
  incompatible: (subject: string, messages: readonly string[]) =>
    new RegistryError(ERRORS.REGISTRY_INCOMPATIBLE.code, 409, `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${messages.join('; ')}]`),
  invalidSchema: (detail: string) => new RegistryError(ERRORS.REGISTRY_INVALID_SCHEMA.code, 42201, `Invalid schema: ${detail}`),
  invalidVersion: (version: string) =>
    new RegistryError(ERRORS.REGISTRY_INVALID_VERSION.code, 42202, `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`),
  invalidCompatibilityLevel: (level: unknown) =>
    new RegistryError(ERRORS.REGISTRY_INVALID_COMPATIBILITY_LEVEL.code, 42203, `Invalid compatibility level ${JSON.stringify(level)}. Valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE`),
  malformedRequest: (detail: string) => new RegistryError(ERRORS.REGISTRY_MALFORMED_REQUEST.code, 400, detail),
  /**
   * Confluent answers 50003 ("Error forwarding the request to the leader") with HTTP 500; we
   * answer 503: the registry is briefly without a reachable writer, not broken, and a client
   * should retry (the request was not its fault).
   */
  writerUnavailable: (detail: string, cause?: unknown) =>
    new RegistryError(ERRORS.REGISTRY_WRITER_UNAVAILABLE.code, 50003, `Error forwarding the request to the leader - ${detail}`, { cause }),
  storeError: (detail: string, cause?: unknown) => new RegistryError(ERRORS.REGISTRY_STORE.code, 50001, `Error in the backend data store - ${detail}`, { cause }),
} as const;
