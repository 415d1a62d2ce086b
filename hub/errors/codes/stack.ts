import { defineArea } from './define.js';

/** The local stack started by `switchboard up` / `switchboard stack` (stack/). */
export const STACK = defineArea('STACK', 'The local stack (Kafka, Redis, and on request PostgreSQL, Prometheus, Toxiproxy) that `switchboard up` and `switchboard stack` start.', {
  PREREQUISITE: { status: null, retriable: false, description: 'A tool the stack needs (Java 17+, Maven, redis-server) is missing and cannot be installed here; install it as the message says.' },
  DOWNLOAD: { status: null, retriable: true, description: 'Fetching the Kafka jars from Maven Central failed; check the network or proxy and try again.' },
  START: { status: null, retriable: true, description: 'A process of the stack did not start or did not answer in time; the message names it (often a port taken).' },
  SECURITY: { status: null, retriable: false, description: 'A secure-stack operation failed: the stack is not secure (start it with --secure), or Kafka refused a user or an ACL.' },
  TOXIPROXY: { status: null, retriable: false, description: 'The Toxiproxy fault proxy could not be built or refused a change; the message says which.' },
});
