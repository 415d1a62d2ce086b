import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_CLOUDEVENTS_EVENT_ID, ATTR_MESSAGING_CONSUMER_GROUP_NAME, ATTR_MESSAGING_DESTINATION_NAME, ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_KAFKA_MESSAGE_KEY, ATTR_MESSAGING_KAFKA_OFFSET, ATTR_MESSAGING_MESSAGE_ID, ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE, ATTR_MESSAGING_SYSTEM, ATTR_SWITCHBOARD_CONNECTOR, ATTR_SWITCHBOARD_EVENT_TYPE, MESSAGING_SYSTEM_KAFKA,
} from './attributes.js';
import { SpanKind, startChildSpan, type StartedSpan } from './spans.js';

/** One Kafka message as the messaging conventions describe it. */
export interface MessageDescription {
  /** The topic, with the deployment's prefix. */
  readonly topic: string;
  /** The record key (the aggregate id; never personal data in Switchboard's catalogue). */
  readonly key?: string | null;
  /** `ce_id`, when known when the span starts. */
  readonly eventId?: string;
  /** `ce_type`, e.g. `crm.order.OrderPlaced`. */
  readonly eventType?: string;
  /** The connector doing the work, for spans made by the runtime. */
  readonly connector?: string;
}

/**
 * The attributes of a messaging span, assigned one by one into one object: spreading optional
 * parts built an object per part for every span (each event makes two).
 */
function messageAttributes(operation: 'create' | 'send' | 'process', message: MessageDescription): Attributes {
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA,
    [ATTR_MESSAGING_OPERATION_TYPE]: operation,
    [ATTR_MESSAGING_OPERATION_NAME]: operation,
    [ATTR_MESSAGING_DESTINATION_NAME]: message.topic,
  };
  if (message.key) attributes[ATTR_MESSAGING_KAFKA_MESSAGE_KEY] = message.key;
  if (message.eventId) {
    attributes[ATTR_CLOUDEVENTS_EVENT_ID] = message.eventId;
    attributes[ATTR_MESSAGING_MESSAGE_ID] = message.eventId;
  }
  if (message.eventType) attributes[ATTR_SWITCHBOARD_EVENT_TYPE] = message.eventType;
  if (message.connector) attributes[ATTR_SWITCHBOARD_CONNECTOR] = message.connector;
  return attributes;
}

/** Sets the event id on a span started before the id existed (an outbox row gets its id on insert). */
export function setEventId(started: StartedSpan, eventId: string): void {
  started.span.setAttributes({ [ATTR_CLOUDEVENTS_EVENT_ID]: eventId, [ATTR_MESSAGING_MESSAGE_ID]: eventId });
}

/**
 * `create <topic>` (PRODUCER): an event is written, here into a service's outbox, child of the
 * request's span. Its `traceparent` is stored with the event, so everything downstream joins
 * this trace.
 *
 * @example
 * ```ts
 * const create = startCreateSpan({ topic: 'crm.order.v1', key: order.id, eventType: 'crm.order.OrderPlaced' }, origin.traceparent);
 * ```
 */
export function startCreateSpan(message: MessageDescription, parentTraceparent: string | null | undefined): StartedSpan {
  return startChildSpan(`create ${message.topic}`, SpanKind.PRODUCER, parentTraceparent, () => messageAttributes('create', message));
}

/**
 * `send <topic>` (PRODUCER): an event the outbox relay hands to Kafka, child of its `create`
 * span. Its `traceparent` is the one the record carries, so the consumer's `process` span is its
 * child. (Events a connector produces carry the `process` span's own `traceparent` instead: see
 * hub/runtime/event-publisher.ts.)
 *
 * @example
 * ```ts
 * const send = startSendSpan({ topic, key, eventId, eventType }, row.traceparent);
 * record.headers.traceparent = send.traceparent;
 * ```
 */
export function startSendSpan(message: MessageDescription, parentTraceparent: string | null | undefined): StartedSpan {
  return startChildSpan(`send ${message.topic}`, SpanKind.PRODUCER, parentTraceparent, () => messageAttributes('send', message));
}

/** A consumed record, for its `process` span. */
export interface ConsumedMessageDescription extends MessageDescription {
  readonly partition: number;
  readonly offset: string;
  readonly consumerGroup?: string;
}

/**
 * `process <topic>` (CONSUMER): a connector handling one consumed event, child of the
 * record's `traceparent` header. The HTTP calls and events the handling makes are its children.
 *
 * @example
 * ```ts
 * const process = startProcessSpan({ topic, partition, offset, key, eventId, eventType, connector }, record.headers.traceparent);
 * ```
 */
export function startProcessSpan(message: ConsumedMessageDescription, parentTraceparent: string | null | undefined): StartedSpan {
  return startChildSpan(`process ${message.topic}`, SpanKind.CONSUMER, parentTraceparent, () => {
    const attributes = messageAttributes('process', message);
    attributes[ATTR_MESSAGING_DESTINATION_PARTITION_ID] = String(message.partition);
    attributes[ATTR_MESSAGING_KAFKA_OFFSET] = Number(message.offset);
    if (message.consumerGroup) attributes[ATTR_MESSAGING_CONSUMER_GROUP_NAME] = message.consumerGroup;
    return attributes;
  });
}
