/**
 * The span attribute names Switchboard sets, in one place. HTTP and URL names are the stable
 * OpenTelemetry semantic conventions (re-exported from `@opentelemetry/semantic-conventions`);
 * the messaging names are still "development" there (only in its `incubating` entry point, which
 * the project does not import), so they are spelled out here as the conventions name them
 * (https://opentelemetry.io/docs/specs/semconv/messaging/kafka/). The `switchboard.*` names are
 * Switchboard's own; `cloudevents.event_id` is the CloudEvents convention.
 */
export {
  ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_SERVICE_NAME, ATTR_URL_FULL, ATTR_URL_PATH, ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';

/** `kafka` on every messaging span. */
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
/** `create`, `send` or `process`. */
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
/** The operation's own name (same words as the type for Switchboard's spans). */
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
/** The topic, with the deployment's prefix. */
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_DESTINATION_PARTITION_ID = 'messaging.destination.partition.id';
export const ATTR_MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name';
export const ATTR_MESSAGING_KAFKA_MESSAGE_KEY = 'messaging.kafka.message.key';
export const ATTR_MESSAGING_KAFKA_OFFSET = 'messaging.kafka.offset';
/** The message's id: the CloudEvents id, as for `cloudevents.event_id`. */
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
/** CloudEvents `ce_id`. */
export const ATTR_CLOUDEVENTS_EVENT_ID = 'cloudevents.event_id';
/** CloudEvents `ce_type`. */
export const ATTR_CLOUDEVENTS_EVENT_TYPE = 'cloudevents.event_type';

/** The connector a process, client or produce span belongs to. */
export const ATTR_SWITCHBOARD_CONNECTOR = 'switchboard.connector';
/** The event type: the `ce_type`, e.g. `crm.order.OrderPlaced`. */
export const ATTR_SWITCHBOARD_EVENT_TYPE = 'switchboard.event.type';
/** How a processed event ended: `applied`, `skipped`, `parked` or `dead_lettered`. */
export const ATTR_SWITCHBOARD_OUTCOME = 'switchboard.outcome';
/** The `SWB_ERR_*` code of a failure recorded on a span or span event. */
export const ATTR_SWITCHBOARD_ERROR_CODE = 'switchboard.error.code';

/** `messaging.system` of every Switchboard messaging span. */
export const MESSAGING_SYSTEM_KAFKA = 'kafka';
