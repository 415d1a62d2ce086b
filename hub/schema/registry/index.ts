/** Switchboard's built-in, Confluent-compatible schema registry (see README.md here). */
export { createRegistryServer, REGISTRY_CONTENT_TYPE, MAX_SUBJECT_URL_LENGTH, type RegistryServer, type RegistryServerOptions } from './server.js';
export { RegistryService, parseRequest, type RegistryServiceOptions, type SchemaRequest, type VersionSpec } from './service.js';
export { loadRegistryConfig, defaultElectionGroup, type RegistryConfig } from './config.js';
export { WriterElection, ELECTION_TOPIC, advertisedUrl, type WriterView, type WriterSource } from './election.js';
export { WriteRouter, type WriteRouterOptions } from './write-router.js';
export { forwardWrite, FORWARDED_HEADER, type ForwardResult, type WriteRequest } from './forward.js';
export { KafkaSchemaStore, writerTransactionalId, type KafkaSchemaStoreOptions } from './kafka-store.js';
export { MemorySchemaStore } from './memory-store.js';
export type { SchemaStore } from './store.js';
export { RegistryError, isRegistryError, registryErrors } from './errors.js';
export { parseAvroSchema, canonicalSchema, type ParsedSchema } from './canonical.js';
export type { RegistryRecord, SchemaValue, ConfigValue } from './records.js';
