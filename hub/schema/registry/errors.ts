import { SwitchboardError } from '../../errors/index.js';

/**
 * An error the registry answers with Confluent's shape `{error_code, message}`.
 * `httpStatus` is the HTTP status, `errorCode` Confluent's numeric code (40401, 42201, ...),
 * `code` Switchboard's stable `SWB_ERR_REGISTRY_*` code (logged; not part of the body,
 * which Confluent clients parse).
 */
export class RegistryError extends SwitchboardError {
  readonly httpStatus: number;
  readonly errorCode: number;

  constructor(httpStatus: number, errorCode: number, code: string, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(code, message, { retriable: options.retriable ?? false, cause: options.cause });
    this.httpStatus = httpStatus;
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
  subjectNotFound: (subject: string) => new RegistryError(404, 40401, 'SWB_ERR_REGISTRY_SUBJECT_NOT_FOUND', `Subject '${subject}' not found.`),
  versionNotFound: (subject: string, version: string | number) =>
    new RegistryError(404, 40402, 'SWB_ERR_REGISTRY_VERSION_NOT_FOUND', `Version ${version} not found for subject '${subject}'.`),
  schemaNotFound: (detail = 'Schema not found') => new RegistryError(404, 40403, 'SWB_ERR_REGISTRY_SCHEMA_NOT_FOUND', detail),
  subjectSoftDeleted: (subject: string) =>
    new RegistryError(404, 40404, 'SWB_ERR_REGISTRY_SUBJECT_SOFT_DELETED', `Subject '${subject}' was soft deleted. Set permanent=true to delete permanently`),
  subjectNotSoftDeleted: (subject: string) =>
    new RegistryError(404, 40405, 'SWB_ERR_REGISTRY_SUBJECT_NOT_SOFT_DELETED', `Subject '${subject}' was not deleted first before being permanently deleted`),
  versionSoftDeleted: (subject: string, version: number) =>
    new RegistryError(404, 40406, 'SWB_ERR_REGISTRY_VERSION_SOFT_DELETED', `Subject '${subject}' Version ${version} was soft deleted. Set permanent=true to delete permanently`),
  versionNotSoftDeleted: (subject: string, version: number) =>
    new RegistryError(404, 40407, 'SWB_ERR_REGISTRY_VERSION_NOT_SOFT_DELETED', `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`),
  subjectConfigNotFound: (subject: string) =>
    new RegistryError(404, 40408, 'SWB_ERR_REGISTRY_SUBJECT_CONFIG_NOT_FOUND', `Subject '${subject}' does not have subject-level compatibility configured`),
  incompatible: (subject: string, messages: readonly string[]) =>
    new RegistryError(409, 409, 'SWB_ERR_REGISTRY_INCOMPATIBLE', `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${messages.join('; ')}]`),
  invalidSchema: (detail: string) => new RegistryError(422, 42201, 'SWB_ERR_REGISTRY_INVALID_SCHEMA', `Invalid schema: ${detail}`),
  invalidVersion: (version: string) =>
    new RegistryError(422, 42202, 'SWB_ERR_REGISTRY_INVALID_VERSION', `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`),
  invalidCompatibilityLevel: (level: unknown) =>
    new RegistryError(422, 42203, 'SWB_ERR_REGISTRY_INVALID_COMPATIBILITY_LEVEL', `Invalid compatibility level ${JSON.stringify(level)}. Valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE`),
  malformedRequest: (detail: string) => new RegistryError(400, 400, 'SWB_ERR_REGISTRY_MALFORMED_REQUEST', detail),
  storeError: (detail: string, cause?: unknown) => new RegistryError(500, 50001, 'SWB_ERR_REGISTRY_STORE', `Error in the backend data store - ${detail}`, { retriable: true, cause }),
} as const;
