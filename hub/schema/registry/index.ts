/** Switchboard's built-in, Confluent-compatible schema registry (see README.md here). */
export { createRegistryServer, REGISTRY_CONTENT_TYPE, type RegistryServer, type RegistryServerOptions } from './server.js';
export { RegistryService, parseRequest, type RegistryServiceOptions, type SchemaRequest, type VersionSpec } from './service.js';
export { loadRegistryConfig, type RegistryConfig } from './config.js';
export { KafkaSchemaStore, type KafkaSchemaStoreOptions } from './kafka-store.js';
export { MemorySchemaStore } from './memory-store.js';
export type { SchemaStore } from './store.js';
export { RegistryError, isRegistryError, registryErrors } from './errors.js';
export { parseAvroSchema, canonicalSchema, type ParsedSchema } from './canonical.js';
export type { RegistryRecord, SchemaValue, ConfigValue } from './records.js';
