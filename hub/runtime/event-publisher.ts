import { causedBy, toEventHeaders, type BusProducer, type EventMetadata } from '../bus/index.js';
import { MappingError } from '../errors/index.js';
import type { AvroCodec } from '../schema/codec/avro-codec.js';
import type { ProduceAction } from '../sdk/types.js';
import { eventSchema } from '../../schemas/schema-catalog.js';

/**
 * Publishes the events connectors produce: encoded with their catalogue schema, on their
 * catalogue topic (behind the deployment's prefix), with CloudEvents headers that carry the
 * consumed event's correlation id and name it as the cause. The produced event's `traceparent`
 * is the cause's, the connector's `process` span, so its consumer's `process` span is that
 * span's child and the flow stays one trace.
 *
 * No `send` span of its own: the `process` span already lasts until the produce is acknowledged
 * (commit after effect) and ends failed if it is not, and a second span per event was most of
 * what tracing cost a topic→topic connector (bench/COMPARISONS.md, "Telemetry overhead"). The
 * outbox relay keeps its `send` spans: there they are the only record of the hand-over.
 *
 * @example
 * ```ts
 * const publisher = new EventPublisher({ producer, codec, topicPrefix: '' });
 * await publisher.publish(produce({ eventType: 'switchboard.erp.PriceChanged', key: sku, value }), cause, eventId);
 * ```
 */
export class EventPublisher {
  /** Where each event type goes, worked out once (names with the prefix are built strings). */
  private readonly routes = new Map<string, Route>();

  constructor(private readonly options: { producer: BusProducer; codec: AvroCodec; topicPrefix: string }) {}

  readonly publish = async (action: ProduceAction, cause: EventMetadata, id: string): Promise<void> => {
    const { subject, topic, source, ceType } = this.route(action.eventType);
    // Synchronous once the subject's schema id is known: no await per event after the first.
    const bytes = this.options.codec.encodeSync(subject, action.value) ?? (await this.options.codec.encode(subject, action.value));
    const metadata = causedBy(cause, { id, source, type: ceType, time: new Date().toISOString() });
    await this.options.producer.send({ topic, key: action.key, value: bytes, headers: toEventHeaders(metadata) });
  };

  private route(eventType: ProduceAction['eventType']): Route {
    let route = this.routes.get(eventType);
    if (!route) {
      let schema;
      try {
        schema = eventSchema(eventType);
      } catch {
        throw new MappingError(`produce: ${eventType} is not an event type of schemas/`);
      }
      const prefix = this.options.topicPrefix;
      route = { subject: schema.subject(prefix), topic: schema.topicName(prefix), source: schema.topic.system, ceType: schema.ceType };
      this.routes.set(eventType, route);
    }
    return route;
  }
}

/** Subject, topic and CloudEvents source and type of one event type, in this deployment. */
interface Route {
  readonly subject: string;
  readonly topic: string;
  readonly source: string;
  readonly ceType: string;
}
