/**
 * Declarative connectors: `connectors/<name>/connector.yaml` (YAML with JSONata expressions)
 * instead of `connector.ts`, loaded as an ordinary ConnectorDefinition, validated against
 * `connector.schema.json` with every problem at its line, and reloaded by a running worker when
 * the file changes. The format is in docs/connector-guide.md.
 */
export { loadDeclarativeConnector, readDeclarativeConnector, declarativeConnectorFile, declarativeSourceOf, type DeclarativeRead } from './load-connector.js';
export { watchDeclarativeConnectors, type ReloadableWorker, type ReloadOutcome, type DeclarativeReloads } from './hot-reload.js';
export { connectorJsonSchema, connectorSchemaIsStale, writeConnectorSchema, CONNECTOR_SCHEMA_FILE } from './connector-schema.js';
export { formatProblem, type Problem } from './source-file.js';
export { ExpressionFailedError } from './expression.js';
export { MAPPING_FUNCTIONS } from './mapping-functions.js';
