import { defineArea } from './define.js';

/** A service as a whole: readiness and its own faults (hub/service). */
export const SERVICE = defineArea('SERVICE', 'A service as a whole: its readiness and its own faults.', {
  NOT_READY: { status: 503, retriable: true, description: 'The service does not answer /readyz: its database does not answer (check its disk and database file), or, for the admin API, Kafka or Redis does not (the message says which).' },
  INTERNAL: { status: 500, retriable: false, description: 'The service failed with an unexpected error (a bug); the service log has the details.' },
});
