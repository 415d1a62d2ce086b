import { defineArea } from './define.js';

/** The Kafka boundary (hub/bus): producing, consuming, compacted logs. */
export const BUS = defineArea('BUS', 'The Kafka boundary: producing, consuming and the compacted logs (cross-references, the registry store).', {
  PUBLISH: { status: null, retriable: true, description: 'A produce was not acknowledged by the brokers (broker down, leader moving, timeout); it is sent again. Check the brokers if it persists.' },
  HEADERS_INVALID: { status: null, retriable: false, description: 'A consumed record lacks a required header or has a malformed one (named in the message); fix its producer.' },
  PRODUCER_CLOSED: { status: null, retriable: false, description: 'A send after the producer was closed; expected only during shutdown, a bug otherwise.' },
  CONSUMER_STOPPING: { status: null, retriable: true, description: 'Handling of a record was abandoned because the consumer is stopping or lost the partition; the record is delivered again, nothing to do.' },
  COMPACTED_LOG: { status: null, retriable: true, description: 'A compacted log topic could not be read or written, or a write was not read back in time; check the brokers and the topic.' },
  ACCESS_DENIED: { status: null, retriable: false, description: 'Kafka refused this principal: a failed SASL login, or an ACL that does not allow the operation on the topic or group named; fix the credentials or grant the ACL.' },
  COMPACTED_LOG_CLOSED: { status: null, retriable: false, description: 'A compacted log was used after it was closed; expected only during shutdown, a bug otherwise.' },
});
