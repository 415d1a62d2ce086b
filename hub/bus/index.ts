/** The bus: Switchboard's own small interface over Kafka (kafkajs stays behind it). */
export { loadBusConfig, type BusConfig } from './bus-config.js';
export { createKafka } from './kafka-client.js';
export { BusProducer, type OutgoingRecord, type BusProducerOptions } from './bus-producer.js';
export { BusConsumer, type ConsumedBatch, type ConsumedRecord, type BusConsumerOptions, decodeHeaders } from './bus-consumer.js';
export { TopicAdmin, type DesiredTopic, type ExistingTopic } from './topic-admin.js';
export { toEventHeaders, fromEventHeaders, causedBy, HEADER, AVRO_CONTENT_TYPE, type EventMetadata } from './event-headers.js';
export { parseTraceparent, formatTraceparent, childTraceparent, type TraceContext } from './traceparent.js';
export { PublishError, InvalidHeadersError, ProducerClosedError } from './bus-errors.js';
