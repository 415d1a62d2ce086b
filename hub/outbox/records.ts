/**
 * The pure half of the relay: where an outbox row goes (topic, subject, ce_type) and the
 * headers it carries. No I/O, so it is unit-tested on its own.
 */
import { toEventHeaders, type OutgoingRecord } from '../bus/index.js';
import type { OutboxRow } from '../service/outbox.js';
import { eventSchema } from '../../schemas/schema-catalog.js';
import { recordFullName } from '../../catalogue/index.js';
import { OutboxRowError } from './errors.js';

/** Where one event type is published. */
export interface EventRoute {
  /** Topic name, behind the prefix, e.g. `crm.customer.v1`. */
  readonly topic: string;
  /** Registry subject (TopicRecordNameStrategy), behind the same prefix. */
  readonly subject: string;
  /** CloudEvents type, e.g. `crm.customer.CustomerCreated`. */
  readonly ceType: string;
}

/** The row fields that decide the route. */
export type RoutedRow = Pick<OutboxRow, 'seq' | 'eventId' | 'system' | 'aggregate' | 'eventType'>;

/**
 * The route of a row's event type from the schema catalogue. Throws OutboxRowError when the
 * catalogue has no such event, or files it under another aggregate than the row names.
 */
export function routeOf(row: RoutedRow, prefix = ''): EventRoute {
  const fullName = recordFullName(row.system, row.eventType);
  let schema;
  try {
    schema = eventSchema(fullName);
  } catch (error) {
    throw new OutboxRowError(row, `the schema catalogue has no event ${fullName}`, error);
  }
  if (schema.topic.aggregate !== row.aggregate) {
    throw new OutboxRowError(row, `${fullName} belongs to ${schema.topicName()}, not to aggregate ${row.aggregate}`);
  }
  return { topic: schema.topicName(prefix), subject: schema.subject(prefix), ceType: schema.ceType };
}

/**
 * The Kafka headers of a row: the CloudEvents binary-mode attributes (`ce_id` is the row's
 * event id, so a re-sent row carries the same id), content type, and the flow headers.
 */
export function outboxHeaders(row: Pick<OutboxRow, 'eventId' | 'system' | 'occurredAt' | 'correlationId' | 'causationId' | 'traceparent'>, ceType: string): Record<string, string> {
  return toEventHeaders({
    id: row.eventId,
    source: row.system,
    type: ceType,
    time: new Date(row.occurredAt).toISOString(),
    correlationId: row.correlationId,
    ...(row.causationId ? { causationId: row.causationId } : {}),
    ...(row.traceparent ? { traceparent: row.traceparent } : {}),
  });
}

/** The JSON payload of a row; throws OutboxRowError when it is not JSON. */
export function parsePayload(row: Pick<OutboxRow, 'seq' | 'eventId' | 'payload'>): unknown {
  try {
    return JSON.parse(row.payload) as unknown;
  } catch (error) {
    throw new OutboxRowError(row, 'payload is not JSON', error);
  }
}

/** The record a row becomes, once its value is encoded. */
export function toOutgoingRecord(row: Pick<OutboxRow, 'key' | 'eventId' | 'system' | 'occurredAt' | 'correlationId' | 'causationId' | 'traceparent'>, route: EventRoute, value: Buffer): OutgoingRecord {
  return { topic: route.topic, key: row.key, value, headers: outboxHeaders(row, route.ceType) };
}
