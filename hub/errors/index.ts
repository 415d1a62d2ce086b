export { SwitchboardError, isSwitchboardError, isRetriable } from './switchboard-error.js';
export { ConfigError } from './config-error.js';
export { RetriableError, PermanentError, MissingDependencyError, MappingError, ConnectorDefinitionError } from './connector-errors.js';
export {
  ERRORS, ERROR_AREAS, errorSpec, isErrorCode,
  type ErrorCode, type ErrorName, type ErrorEntry, type ErrorEntryOf, type ErrorAreaName, type ErrorCodeWhere, type ErrorSpec,
  type HttpErrorCode, type HttpErrorStatus, type PermanentCode, type RetriableCode,
} from './codes.js';
