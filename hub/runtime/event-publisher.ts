import { causedBy, toEventHeaders, type BusProducer, type EventMetadata } from '../bus/index.js';
import { MappingError } from '../errors/index.js';
import type { AvroCodec } from '../schema/codec/avro-codec.js';
import type { ProduceAction } from '../sdk/types.js';
import { eventSchema } from '../../schemas/schema-catalog.js';

/**
 * Publishes the events connectors produce: encoded with their catalogue schema, on their
 * catalogue topic (behind the deployment's prefix), with CloudEvents headers that carry the
 * consumed event's correlation id and trace and name it as the cause.
 *
 * @example
 * ```ts
 * const publisher = new EventPublisher({ producer, codec, topicPrefix: '' });
 * await publisher.publish(produce({ eventType: 'switchboard.erp.PriceChanged', key: sku, value }), cause, eventId);
 * ```
 */
export class EventPublisher {
  constructor(private readonly options: { producer: BusProducer; codec: AvroCodec; topicPrefix: string }) {}

  readonly publish = async (action: ProduceAction, cause: EventMetadata, id: string): Promise<void> => {
    let schema;
    try {
      schema = eventSchema(action.eventType);
    } catch {
      throw new MappingError(`produce: ${action.eventType} is not an event type of schemas/`);
    }
    const prefix = this.options.topicPrefix;
    const bytes = await this.options.codec.encode(schema.subject(prefix), action.value);
    const metadata = causedBy(cause, { id, source: schema.topic.system, type: schema.ceType, time: new Date().toISOString() });
    await this.options.producer.send({ topic: schema.topicName(prefix), key: action.key, value: bytes, headers: toEventHeaders(metadata) });
  };
}
