import { defineArea } from './define.js';

/** The connector runtime (hub/runtime, the SDK's errors, `switchboard worker`). */
export const RUNTIME = defineArea(
  'RUNTIME',
  'The connector runtime. A retriable failure is retried with backoff, then parked in the retry topic; any other is dead-lettered (the code is in the swb_error_code header).',
  {
    RETRIABLE: { status: null, retriable: true, description: 'A connector threw a RetriableError without a code of its own; the message says what to wait for.' },
    PERMANENT: { status: null, retriable: false, description: 'A connector threw a PermanentError without a code of its own; the message says why the event cannot be applied.' },
    MISSING_DEPENDENCY: { status: null, retriable: true, description: 'Something the event needs is not there yet (a cross-reference, or a target answered "not yet"); retried until it arrives.' },
    DEPENDENCY_DEADLINE: { status: null, retriable: false, description: 'A missing dependency did not appear within the connector\'s missingDependencyDeadlineMs (default 1 h) of the event\'s first failure; the message names what was missing. Create it, then replay the dead letter.' },
    REPLAY_STALE: { status: null, retriable: false, description: 'A replayed dead letter was refused: a later event of the same key was applied since, and applying this one now would undo it. The message names the later event\'s position; discard the dead letter, or apply its change at the source.' },
    MAPPING: { status: null, retriable: false, description: 'The mapping refused the event (invalid for its target); fix the event at its source, then replay the dead letter.' },
    MAPPING_BUG: { status: null, retriable: false, description: 'The mapping threw a programming error (TypeError, RangeError, ...); fix the connector, then replay the dead letter.' },
    DEFINITION_INVALID: { status: null, retriable: false, description: 'A connector definition breaks a rule (unknown topic, event type not on its topics, ...); the message lists the problems.' },
    TARGET_UNAVAILABLE: { status: null, retriable: true, description: 'The target system answered 5xx, 408 or 429, timed out or could not be reached; retried. Check the target.' },
    TARGET_UNAUTHORIZED: { status: null, retriable: true, description: 'The target refused the connector\'s credential (401) or its scope (403): a configuration fault, not the event\'s. Fix SWITCHBOARD_CREDENTIALS or the connector\'s scopes; the event is retried meanwhile.' },
    REQUEST_UNSENDABLE: { status: null, retriable: false, description: 'The call could never be sent (the HTTP client refused a header or the URL, e.g. a non-ASCII correlation id); fix the event at its source, then replay the dead letter.' },
    TARGET_REJECTED: { status: null, retriable: false, description: 'The target system refused the call with a 4xx; the message has its answer. Fix the mapping or the data, then replay.' },
    INVALID_RECORD: { status: null, retriable: false, description: 'A record without usable CloudEvents headers or without a value (tombstone); fix its producer.' },
    UNEXPECTED: { status: null, retriable: false, description: 'An error the runtime does not know; not retried. The worker log has the details.' },
    KEY_PARKED: { status: null, retriable: true, description: 'An earlier event with the same key is parked for retry; this one waits behind it to keep the order.' },
    CONTROL: { status: null, retriable: true, description: 'A control operation did not complete (e.g. the consumer group did not empty for a reset); try again once the workers have stopped.' },
    DEAD_LETTER_NOT_FOUND: { status: null, retriable: false, description: 'The connector has no dead letter with that id; list its dead letters.' },
    TOPIC_MISSING: { status: null, retriable: true, description: 'A connector\'s source topic does not exist; run `switchboard topics apply`.' },
    METRICS_PORT: { status: null, retriable: false, description: 'A worker cannot listen for /metrics on its port (another process holds it); give each worker on a machine its own port (`--metrics-port`, WORKER_METRICS_PORT).' },
    UNKNOWN_CONNECTOR: { status: null, retriable: false, description: 'A connector name that is not registered; the message lists the known ones (connectors/index.ts).' },
    NO_CONNECTORS: { status: null, retriable: false, description: 'No connectors are registered in connectors/index.ts; add them there.' },
  },
);
