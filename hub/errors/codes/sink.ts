import { defineArea } from './define.js';

/** Generic targets of connectors: authenticated HTTP APIs and PostgreSQL tables (hub/adapters/sinks). */
export const SINK = defineArea('SINK', 'Generic connector targets: external HTTP APIs with authentication and rate limits, and PostgreSQL tables (hub/adapters/sinks). Retriable failures are retried, then parked, like any target\'s.', {
  TOKEN_UNAVAILABLE: { status: null, retriable: true, description: 'The OAuth2 token endpoint could not be reached or refused the client credentials; events wait and retry. Check TARGET_<NAME>_TOKEN_URL, _CLIENT_ID and _CLIENT_SECRET.' },
  RATE_LIMITED: { status: null, retriable: true, description: 'The target asked to wait (Retry-After) longer than one call may wait; the event is retried after that time.' },
  POSTGRES_UNAVAILABLE: { status: null, retriable: true, description: 'The PostgreSQL target could not be reached or the transaction failed for a passing reason (serialization, lock timeout); retried.' },
  POSTGRES_REJECTED: { status: null, retriable: false, description: 'The PostgreSQL target refused the row (unknown table or column, type or constraint violation); fix the mapping or the table, then replay.' },
});
