export { SwitchboardError, isSwitchboardError, isRetriable } from './switchboard-error.js';
export { ConfigError } from './config-error.js';
export { RetriableError, PermanentError, MissingDependencyError, MappingError, ConnectorDefinitionError } from './connector-errors.js';
