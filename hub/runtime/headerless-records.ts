import { HEADER, type ConsumedRecord, type EventMetadata } from '../bus/index.js';
import { catalogueTopics, eventEntry, isEventFullName } from '../../catalogue/index.js';
import { derivedEventId } from './event-id.js';
import { originOf } from './record-headers.js';

/**
 * The prefixed names of the topics that accept records without CloudEvents headers
 * (`acceptsRecordsWithoutHeaders` in topics/catalogue.ts), among `topics`.
 *
 * @example
 * ```ts
 * headerlessTopics(['erp.product.v1', 'crm.order.v1'], 't1.'); // Set { 't1.erp.product.v1' }
 * ```
 */
export function headerlessTopics(topics: readonly string[], prefix: string): ReadonlySet<string> {
  const accepting = new Set(catalogueTopics().filter((topic) => topic.acceptsRecordsWithoutHeaders).map((topic) => topic.name));
  return new Set(topics.filter((name) => accepting.has(name)).map((name) => `${prefix}${name}`));
}

/** True when the record carries no CloudEvents attribute at all (a plain Avro record), as opposed to broken ones. */
export function hasNoCloudEventsHeaders(headers: Readonly<Record<string, string | undefined>>): boolean {
  return [HEADER.specVersion, HEADER.id, HEADER.source, HEADER.type, HEADER.time].every((name) => headers[name] === undefined);
}

/**
 * The metadata of a record published without CloudEvents headers, once its value is decoded:
 * the type from the writer schema's record name (its catalogue `ce_type`), the id derived from
 * where the record was first written (topic, partition, offset; kept through parking and
 * replay), so a redelivery has the same id and is deduplicated; a new correlation from that id.
 *
 * @example
 * ```ts
 * headerlessMetadata(record, 'switchboard.erp.PriceChanged'); // { id: '5d0c…', type: 'erp.product.PriceChanged', ... }
 * ```
 */
export function headerlessMetadata(record: ConsumedRecord, fullName: string): EventMetadata {
  const origin = originOf(record);
  const id = derivedEventId(`${origin.topic}:${origin.partition}:${origin.offset}`);
  const entry = isEventFullName(fullName) ? eventEntry(fullName) : undefined;
  return {
    id,
    source: entry?.system ?? origin.topic,
    type: entry?.ceType ?? fullName,
    time: new Date(record.timestamp).toISOString(),
    correlationId: id,
  };
}
