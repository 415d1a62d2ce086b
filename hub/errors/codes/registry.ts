import { defineArea } from './define.js';

/** The built-in schema registry's API (hub/schema/registry). */
export const REGISTRY = defineArea(
  'REGISTRY',
  'The built-in schema registry\'s API. Its answers carry Confluent\'s `{error_code, message}`; the code below is logged (see hub/schema/registry/README.md).',
  {
    SUBJECT_NOT_FOUND: { status: 404, retriable: false, description: 'No such subject (40401); check the subject name or register it.' },
    VERSION_NOT_FOUND: { status: 404, retriable: false, description: 'No such version of the subject (40402); list its versions.' },
    SCHEMA_NOT_FOUND: { status: 404, retriable: false, description: 'No such schema id, or the schema is not under the subject (40403).' },
    SUBJECT_SOFT_DELETED: { status: 404, retriable: false, description: 'The subject was soft deleted (40404); delete it with permanent=true, or register again.' },
    SUBJECT_NOT_SOFT_DELETED: { status: 404, retriable: false, description: 'A permanent delete of a subject that was not soft deleted first (40405); soft delete it first.' },
    VERSION_SOFT_DELETED: { status: 404, retriable: false, description: 'The version was soft deleted (40406); delete it with permanent=true.' },
    VERSION_NOT_SOFT_DELETED: { status: 404, retriable: false, description: 'A permanent delete of a version that was not soft deleted first (40407); soft delete it first.' },
    SUBJECT_CONFIG_NOT_FOUND: { status: 404, retriable: false, description: 'The subject has no compatibility level of its own (40408); ask with defaultToGlobal=true or set one.' },
    INCOMPATIBLE: { status: 409, retriable: false, description: 'The schema is incompatible with earlier versions under the subject\'s level (409); the message names the field and rule.' },
    INVALID_SCHEMA: { status: 422, retriable: false, description: 'The schema is not valid Avro, or uses what this registry does not support (42201); fix the schema.' },
    INVALID_VERSION: { status: 422, retriable: false, description: 'The version is neither 1..2^31-1 nor "latest" (42202); fix the request.' },
    INVALID_COMPATIBILITY_LEVEL: { status: 422, retriable: false, description: 'Unknown compatibility level (42203); use NONE, BACKWARD, FORWARD, FULL or a _TRANSITIVE variant.' },
    MALFORMED_REQUEST: { status: 400, retriable: false, description: 'The request body is not the JSON object the endpoint expects; fix the request.' },
    WRITER_UNAVAILABLE: { status: 503, retriable: true, description: 'A write found no elected writer, could not reach it, or reached an instance that just lost the role (50003); nothing was written unless the message says the outcome is unknown. Retry: a writer is elected within seconds.' },
    STORE: { status: 500, retriable: true, description: 'The registry\'s store (the compacted _schemas topic) failed (50001); retried. Check Kafka.' },
  },
);
