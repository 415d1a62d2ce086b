import { defineArea } from './define.js';

/** The schema registry as seen by its client (hub/schema/client). */
export const SCHEMA = defineArea('SCHEMA', 'The schema registry as Switchboard\'s registry client sees it.', {
  NOT_FOUND: { status: null, retriable: false, description: 'The registry does not know the subject, version or schema id; register the schemas (`switchboard schemas register`) or check the id\'s producer.' },
  REGISTRY_UNAVAILABLE: { status: null, retriable: true, description: 'The registry could not be reached, timed out, throttled (429) or failed (5xx); retried. Check SCHEMA_REGISTRY_URL and the registry.' },
  INCOMPATIBLE: { status: null, retriable: false, description: 'The registry refused a schema as incompatible with the registered versions (409); make the change compatible.' },
  INVALID: { status: null, retriable: false, description: 'The registry refused a schema as invalid (422); fix the schema.' },
  REGISTRY_REJECTED: { status: null, retriable: false, description: 'The registry refused the request (another 4xx, e.g. a schema that is not Avro); the message has its answer.' },
});
