/**
 * The connector SDK: everything a connector author imports. A connector is one folder in
 * `connectors/` with a `defineConnector({...})` and one line in `connectors/index.ts`.
 */
export { defineConnector, CONNECTOR_NAME, DEFAULT_CONNECTOR_OPTIONS } from './define-connector.js';
export { XREF_KINDS } from './types.js';
export { http, produce, xref, missingDependency, mappingError } from './actions.js';
export { addressBody } from './address-body.js';
export { MissingDependencyError, MappingError, RetriableError, PermanentError, ConnectorDefinitionError } from '../errors/index.js';
export type {
  Action, AnswerVerdict, ConnectorDefinition, ConnectorEvent, ConnectorOptions, ConnectorSpec, EventFullName, EventMetadata, EventTypeMap,
  HttpAction, HttpMethod, HttpResponse, HttpTarget, MappingContext, ProduceAction, SystemName, TopicTarget, XrefIds, XrefKind,
  XrefPutAction, XrefReader,
} from './types.js';
