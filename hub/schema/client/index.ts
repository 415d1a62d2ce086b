export {
  SchemaRegistryClient,
  loadSchemaRegistryClientConfig,
  DEFAULT_SCHEMA_REGISTRY_URL,
} from './registry-client.js';
export type {
  SchemaLookup,
  SchemaRegistryClientOptions,
  SubjectVersion,
  CompatibilityResult,
  CompatibilityLevel,
} from './registry-client.js';
export { InMemorySchemaLookup } from './memory-schema-lookup.js';
export {
  SchemaNotFoundError,
  SchemaRegistryUnavailableError,
  SchemaRegistryRequestError,
  REGISTRY_NOT_FOUND,
} from './errors.js';
export type { RegistryReply } from './errors.js';
