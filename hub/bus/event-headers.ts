import { InvalidHeadersError } from './bus-errors.js';

/**
 * The metadata of one event, carried in Kafka headers following the CloudEvents Kafka
 * protocol binding (binary mode) plus Switchboard's flow headers.
 */
export interface EventMetadata {
  /** `ce_id`: the event id (a UUID), the deduplication key everywhere. */
  readonly id: string;
  /** `ce_source`: the publishing system, e.g. `crm`. */
  readonly source: string;
  /** `ce_type`: e.g. `crm.customer.CustomerCreated`. */
  readonly type: string;
  /** `ce_time`: when the fact happened, RFC 3339. */
  readonly time: string;
  /**
   * `correlation_id`: the business flow (e.g. the CRM order id), carried along every hop. A
   * record without one (from a producer Switchboard did not write) starts a new flow: its `ce_id`.
   */
  readonly correlationId: string;
  /** `causation_id`: the event that caused this one, when there is one. */
  readonly causationId?: string;
  /** W3C `traceparent`, when the event belongs to a trace. */
  readonly traceparent?: string;
}

export const HEADER = Object.freeze({
  specVersion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  time: 'ce_time',
  contentType: 'content-type',
  correlationId: 'correlation_id',
  causationId: 'causation_id',
  traceparent: 'traceparent',
});

/** Content type of Avro values in the Confluent wire format. */
export const AVRO_CONTENT_TYPE = 'application/avro';

/** Builds the headers of one event; the result is a fresh object the caller may extend. */
export function toEventHeaders(metadata: EventMetadata): Record<string, string> {
  const headers: Record<string, string> = {
    [HEADER.specVersion]: '1.0',
    [HEADER.id]: metadata.id,
    [HEADER.source]: metadata.source,
    [HEADER.type]: metadata.type,
    [HEADER.time]: metadata.time,
    [HEADER.contentType]: AVRO_CONTENT_TYPE,
    [HEADER.correlationId]: metadata.correlationId,
  };
  if (metadata.causationId) headers[HEADER.causationId] = metadata.causationId;
  if (metadata.traceparent) headers[HEADER.traceparent] = metadata.traceparent;
  return headers;
}

const REQUIRED = [HEADER.id, HEADER.source, HEADER.type, HEADER.time] as const;

/**
 * Reads an event's metadata back from headers. Throws InvalidHeadersError (not retriable)
 * naming the header when a required one is missing or the spec version is not 1.0.
 *
 * Required are the CloudEvents attributes `ce_specversion`, `ce_id`, `ce_source`, `ce_type`
 * and `ce_time`; Switchboard's flow headers are optional, so events of producers it did not
 * write (Confluent's serializers, a CloudEvents SDK) flow like its own: without
 * `correlation_id` the event starts a new correlation from its `ce_id`
 * (docs/foreign-producers.md).
 */
export function fromEventHeaders(headers: Readonly<Record<string, string | undefined>>): EventMetadata {
  if (headers[HEADER.specVersion] !== '1.0') {
    throw new InvalidHeadersError(HEADER.specVersion, `header ${HEADER.specVersion} must be "1.0", got ${JSON.stringify(headers[HEADER.specVersion] ?? null)}`);
  }
  for (const name of REQUIRED) {
    if (!headers[name]) throw new InvalidHeadersError(name, `required header ${name} is missing`);
  }
  // Built field by field (no spreads): this runs for every consumed event.
  const metadata: { -readonly [K in keyof EventMetadata]: EventMetadata[K] } = {
    id: headers[HEADER.id] as string,
    source: headers[HEADER.source] as string,
    type: headers[HEADER.type] as string,
    time: headers[HEADER.time] as string,
    // Delimited change for foreign producers: no correlation_id starts a new flow from ce_id.
    correlationId: (headers[HEADER.correlationId] || headers[HEADER.id]) as string,
  };
  const causationId = headers[HEADER.causationId];
  if (causationId) metadata.causationId = causationId;
  const traceparent = headers[HEADER.traceparent];
  if (traceparent) metadata.traceparent = traceparent;
  return metadata;
}

/**
 * Metadata for an event caused by `cause`: same correlation id and trace, causation id
 * set to the cause's event id. This is how a flow stays one flow across hops.
 */
export function causedBy(cause: EventMetadata, next: Pick<EventMetadata, 'id' | 'source' | 'type' | 'time'> & { traceparent?: string }): EventMetadata {
  // Built field by field (no spreads): this runs for every event a connector produces.
  const traceparent = next.traceparent ?? cause.traceparent;
  const metadata: { -readonly [K in keyof EventMetadata]: EventMetadata[K] } = {
    id: next.id,
    source: next.source,
    type: next.type,
    time: next.time,
    correlationId: cause.correlationId,
    causationId: cause.id,
  };
  if (traceparent) metadata.traceparent = traceparent;
  return metadata;
}
