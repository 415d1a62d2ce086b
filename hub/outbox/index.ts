/** The outbox relay: publishes a service's transactional outbox to Kafka, in order per key. */
export {
  OutboxRelay, type OutboxRelayOptions, type OutboxRelayStatus, type OutboxRelayState, type OutboxRelayError,
  type OutboxSource, type RecordPublisher, type EventEncoder,
} from './outbox-relay.js';
export { routeOf, outboxHeaders, parsePayload, toOutgoingRecord, type EventRoute, type RoutedRow } from './records.js';
export { OutboxRowError } from './errors.js';
export { watchOutbox, type WatchedOutbox } from './outbox-metrics.js';
