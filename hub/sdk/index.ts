/**
 * The connector SDK: everything a connector author imports. A connector is one folder in
 * `connectors/` with a `defineConnector({...})` and one line in `connectors/index.ts`.
 */
export { defineConnector, CONNECTOR_NAME, DEFAULT_CONNECTOR_OPTIONS, TARGET_AUTHS, SQL_NAME } from './define-connector.js';
export { XREF_KINDS } from './types.js';
export { http, produce, upsert, xref, missingDependency, mappingError } from './actions.js';
export { addressBody } from './address-body.js';
export { MissingDependencyError, MappingError, RetriableError, PermanentError, ConnectorDefinitionError } from '../errors/index.js';
export type {
  Action, AnswerVerdict, CdcChange, CdcEventName, CdcRow, ConnectorDefinition, ConnectorEvent, ConnectorOptions, ConnectorSpec, ConnectorTarget,
  EventFullName, EventMetadata, EventTypeMap, ExternalHttpTarget, HttpAction, HttpMethod, HttpResponse, HttpTarget, MappingContext, PostgresTarget,
  ProduceAction, SourceEventName, SourceValue, SystemName, TargetAuth, TopicTarget, UpsertAction, XrefIds, XrefKind, XrefPutAction, XrefReader,
} from './types.js';
